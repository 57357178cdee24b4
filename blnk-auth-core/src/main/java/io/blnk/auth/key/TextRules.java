package io.blnk.auth.key;

/** The shared rule for human-supplied labels (names, owners). */
final class TextRules {
  private TextRules() {}

  /** What is wrong with {@code value} as a label, or null when nothing is. */
  static String problem(String value, int maxLength) {
    if (value.isBlank()) {
      return "must not be blank";
    }
    if (value.length() > maxLength) {
      return "must be at most " + maxLength + " characters, was " + value.length();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        return "must not contain control characters";
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
        if (!paired) {
          return "must be valid Unicode text";
        }
        i++;
      }
    }
    return null;
  }
}
