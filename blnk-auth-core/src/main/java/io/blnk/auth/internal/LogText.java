package io.blnk.auth.internal;

/**
 * Makes text from outside (owners, names, remote addresses, paths, methods) safe to put in a log
 * line: nothing non-printable reaches the log as itself, so no value can end a line, forge a
 * second one, or reorder what an operator reads. Stateless and thread-safe.
 *
 * <p>Escaped as {@code \}{@code uXXXX} (UTF-16 units): control characters (Cc), format characters
 * (Cf, including every bidirectional control), line and paragraph separators (Zl, Zp), space
 * separators other than U+0020 (Zs), surrogates that are not part of a pair, private-use and
 * unassigned code points, and the backslash itself (as {@code \\}), so an escape in the input
 * cannot pose as one made here.
 */
public final class LogText {

  private LogText() {}

  /**
   * {@code s} with everything non-printable escaped; {@code s} itself (no copy) when nothing
   * needs escaping. Null becomes {@code ""}.
   */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    int first = firstToEscape(s, false);
    return first < 0 ? s : append(new StringBuilder(s.length() + 16), s, first, false).toString();
  }

  /**
   * {@code s} as one field of a {@code key=value} line: escaped as by {@link #escape}, and in
   * double quotes (with {@code \"} inside) when it is empty or holds a space, {@code "} or {@code
   * =}, so it can never pose as further fields. Null becomes {@code ""} (two quote characters).
   */
  public static String value(String s) {
    if (s == null || s.isEmpty()) {
      return "\"\"";
    }
    int first = firstToEscape(s, true);
    if (first < 0) {
      return s;
    }
    boolean quote = needsQuotes(s);
    StringBuilder out = new StringBuilder(s.length() + 18);
    if (quote) {
      out.append('"');
      append(out, s, 0, true);
      return out.append('"').toString();
    }
    return append(out, s, first, false).toString();
  }

  /** Whether a code point is printed as itself. */
  public static boolean printable(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
        return false;
      case Character.SPACE_SEPARATOR:
        return cp == ' ';
      default:
        return true;
    }
  }

  private static boolean needsQuotes(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '"' || c == '=') {
        return true;
      }
    }
    return false;
  }

  private static int firstToEscape(String s, boolean field) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (cp == '\\' || !printable(cp) || (field && (cp == ' ' || cp == '"' || cp == '='))) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  private static StringBuilder append(StringBuilder out, String s, int from, boolean quoted) {
    out.append(s, 0, from);
    for (int i = from; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp == '\\') {
        out.append("\\\\");
      } else if (quoted && cp == '"') {
        out.append("\\\"");
      } else if (printable(cp)) {
        out.append(s, i, i + n);
      } else {
        for (int j = i; j < i + n; j++) {
          hex(out, s.charAt(j));
        }
      }
      i += n;
    }
    return out;
  }

  private static void hex(StringBuilder out, char c) {
    final String digits = "0123456789abcdef";
    out.append("\\u")
        .append(digits.charAt((c >> 12) & 0xf))
        .append(digits.charAt((c >> 8) & 0xf))
        .append(digits.charAt((c >> 4) & 0xf))
        .append(digits.charAt(c & 0xf));
  }
}
