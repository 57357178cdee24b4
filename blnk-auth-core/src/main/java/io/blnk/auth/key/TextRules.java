package io.blnk.auth.key;

import java.util.Locale;
import java.util.Optional;

/**
 * The rules for human-supplied labels (key names, owners).
 *
 * <p>Two levels. Every label read back (from a store, or built in code) must be non-blank, short
 * enough, valid Unicode and free of control characters: the record constructors check this, so
 * rows written by earlier versions still load. A label a caller <em>submits</em> for a new key must
 * also be {@linkplain #unsafeCharacter safe}: no character that can forge a log line or reorder
 * text on a screen. Stateless and thread-safe.
 */
public final class TextRules {
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

  /**
   * The first character of {@code value} that a submitted label may not hold, described, e.g.
   * {@code "U+202E (a bidirectional or invisible formatting character) at index 4"}; empty when
   * there is none.
   *
   * <p>Refused: control characters (Unicode category Cc, e.g. CR, LF, NUL, DEL, U+0085), format
   * characters (Cf: the bidirectional marks, embeddings, overrides and isolates U+200E, U+200F,
   * U+202A–U+202E, U+2066–U+2069, zero-width characters, U+FEFF...), the line and paragraph
   * separators U+2028 and U+2029 (Zl, Zp), space separators other than the plain space U+0020
   * (Zs, e.g. U+00A0, U+3000) and unpaired surrogates.
   *
   * @param value the text to check
   * @return the first refused character, described (e.g. {@code "U+202E (a bidirectional or
   *     invisible formatting character) at index 3"}), or empty when the text is safe
   * @throws NullPointerException if {@code value} is null
   */
  public static Optional<String> unsafeCharacter(String value) {
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      String kind = unsafeKind(cp);
      if (kind != null) {
        return Optional.of(
            String.format(Locale.ROOT, "U+%04X", cp)
                + " (" + kind + ") at index " + i);
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  private static String unsafeKind(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
        return "a control character";
      case Character.FORMAT:
        return "a bidirectional or invisible formatting character";
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return "a line or paragraph separator";
      case Character.SPACE_SEPARATOR:
        return cp == ' ' ? null : "a space other than U+0020";
      case Character.SURROGATE:
        return "an unpaired surrogate";
      default:
        return null;
    }
  }
}
