package io.blnk.auth.servlet;

/** The module's one way of quoting caller input in a message. Stateless. */
final class Text {

  private Text() {}

  /**
   * Quotes caller input for a message: escaped quotes and backslashes, control and other
   * non-printable characters as {@code \}{@code uXXXX}, cut after 80 characters.
   */
  static String quote(String s) {
    if (s == null) {
      return "null";
    }
    int limit = 80;
    StringBuilder out = new StringBuilder(Math.min(s.length(), limit) + 5).append('"');
    for (int i = 0; i < s.length() && i < limit; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || !printable(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (s.length() > limit) {
      out.append("...");
    }
    return out.append('"').toString();
  }

  private static boolean printable(char c) {
    int type = Character.getType(c);
    return !Character.isISOControl(c)
        && type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED;
  }
}
