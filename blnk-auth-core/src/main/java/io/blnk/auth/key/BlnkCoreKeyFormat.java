package io.blnk.auth.key;

/**
 * The shape of keys issued by Blnk Core (before this library): the URL-safe base64, with padding,
 * of 32 random bytes — 44 characters, no prefix, no checksum, e.g. {@code
 * q1Vt0m-8aZ3_xY7kLw2pQ9rT4uV6wX8yZ0aB1cD2eF4=}. Blnk Core stores the first {@value
 * #LOOKUP_ID_LENGTH} characters as {@code key_prefix} and a bcrypt hash of the whole key; an
 * imported row keeps that prefix as its lookup id.
 *
 * <p>The check is strict: exactly 43 characters of {@code [A-Za-z0-9_-]}, the last of them one
 * that leaves the unused low bits zero (as every encoder writes), then {@code =}. It allocates
 * nothing and touches no store, cache or hash. A native key ({@code <prefix>_} + 49 characters)
 * is never this long, so the two shapes cannot be confused. Stateless and thread-safe.
 */
public final class BlnkCoreKeyFormat {

  /** The length of every Blnk Core key. */
  public static final int LENGTH = 44;
  /** Characters of the key that Blnk Core keeps as {@code key_prefix}: the lookup id. */
  public static final int LOOKUP_ID_LENGTH = 16;
  /** Characters shown in listings. */
  public static final int DISPLAY_LENGTH = 8;

  private BlnkCoreKeyFormat() {}

  /**
   * Whether {@code key} has the shape of a Blnk Core key: 43 URL-safe base64 characters encoding
   * 32 bytes, then {@code =}. Never throws.
   *
   * @param key the presented text, or null
   * @return whether it could be a Blnk Core key
   */
  public static boolean isWellFormed(CharSequence key) {
    if (key == null || key.length() != LENGTH || key.charAt(LENGTH - 1) != '=') {
      return false;
    }
    for (int i = 0; i < LENGTH - 2; i++) {
      if (value(key.charAt(i)) < 0) {
        return false;
      }
    }
    // 32 bytes = 256 bits; the 43rd character carries the last 4 bits and two zero bits.
    int last = value(key.charAt(LENGTH - 2));
    return last >= 0 && (last & 3) == 0;
  }

  /**
   * Whether {@code text} could be a Blnk Core {@code key_prefix}. Never throws.
   *
   * @param text the text, or null
   * @return true for exactly 16 URL-safe base64 characters
   */
  public static boolean isLookupId(CharSequence text) {
    if (text == null || text.length() != LOOKUP_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < LOOKUP_ID_LENGTH; i++) {
      if (value(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The lookup id of a well-formed key: its first {@value #LOOKUP_ID_LENGTH} characters.
   *
   * @param key the key
   * @return its lookup id
   * @throws IllegalArgumentException if the key is not well formed
   */
  public static String lookupId(CharSequence key) {
    requireWellFormed(key);
    return key.subSequence(0, LOOKUP_ID_LENGTH).toString();
  }

  /**
   * The display prefix of a well-formed key: its first {@value #DISPLAY_LENGTH} characters.
   *
   * @param key the key
   * @return its display prefix
   * @throws IllegalArgumentException if the key is not well formed
   */
  public static String displayPrefix(CharSequence key) {
    requireWellFormed(key);
    return key.subSequence(0, DISPLAY_LENGTH).toString();
  }

  private static void requireWellFormed(CharSequence key) {
    if (!isWellFormed(key)) {
      throw new IllegalArgumentException("not a well-formed Blnk Core key");
    }
  }

  /** The base64url value of {@code c}, or -1. */
  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    if (c == '_') {
      return 63;
    }
    return -1;
  }
}
