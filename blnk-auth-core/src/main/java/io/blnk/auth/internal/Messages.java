package io.blnk.auth.internal;

/** Shared wording for messages that quote what a caller sent. */
public final class Messages {

  private static final int LIMIT = 80;

  private Messages() {}

  /**
   * Quotes caller input for an error message: escaped quotes and backslashes, everything {@link
   * LogText#printable not printable} as {@code \}{@code uXXXX}, cut after {@value #LIMIT}
   * characters.
   */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), LIMIT) + 5).append('"');
    int i = 0;
    while (i < s.length() && i < LIMIT) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp == '"' || cp == '\\') {
        out.append('\\').append((char) cp);
      } else if (LogText.printable(cp)) {
        out.append(s, i, i + n);
      } else {
        for (int j = i; j < i + n; j++) {
          out.append(String.format("\\u%04x", (int) s.charAt(j)));
        }
      }
      i += n;
    }
    if (s.length() > LIMIT) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
