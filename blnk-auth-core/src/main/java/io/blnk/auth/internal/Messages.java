package io.blnk.auth.internal;

/** Shared wording for messages that quote what a caller sent. */
public final class Messages {

  private static final int LIMIT = 80;

  private Messages() {}

  /**
   * Quotes caller input for an error message: escaped quotes and backslashes, control characters
   * as {@code \}{@code uXXXX}, cut after {@value #LIMIT} characters.
   */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), LIMIT) + 5).append('"');
    for (int i = 0; i < s.length() && i < LIMIT; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (s.length() > LIMIT) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
