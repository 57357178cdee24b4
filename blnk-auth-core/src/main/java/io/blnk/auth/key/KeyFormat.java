package io.blnk.auth.key;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The plaintext key format: {@code <prefix>_<body><check>}.
 *
 * <ul>
 *   <li>{@code body}: 32 random bytes from {@link SecureRandom}, base62, always 43 characters;
 *   <li>{@code check}: CRC32 of everything before it, base62, 6 characters;
 *   <li>the first {@value #LOOKUP_ID_LENGTH} body characters are the lookup id (indexed in the
 *       store); the first {@value #DISPLAY_LENGTH} are shown in listings.
 * </ul>
 *
 * <p>Base62 uses {@code 0-9A-Za-z}, so secret scanners can match {@link #scannerPattern()}, e.g.
 * {@code blnk_[0-9A-Za-z]{49}}. Immutable and thread-safe.
 */
public final class KeyFormat {

  /** The default prefix. */
  public static final String DEFAULT_PREFIX = "blnk";
  /** Characters of the random body. */
  public static final int BODY_LENGTH = 43;
  /** Characters of the checksum. */
  public static final int CHECK_LENGTH = 6;
  /** Body characters that form the lookup id. */
  public static final int LOOKUP_ID_LENGTH = 16;
  /** Body characters shown in listings. */
  public static final int DISPLAY_LENGTH = 8;

  private static final int RANDOM_BYTES = 32;
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(62);
  /** CRC32 (IEEE, reflected) lookup tables; before {@link #BLNK}, whose constructor uses them. */
  private static final int[] CRC_TABLE = crcTable();
  private static final byte[] DIGITS = digitTable();
  private static final KeyFormat BLNK = new KeyFormat(DEFAULT_PREFIX);

  private final String prefix;
  private final int bodyStart;
  private final int length;
  /** The CRC32 register after {@code prefix + "_"}, the same for every key of this format. */
  private final int headCrc;

  private KeyFormat(String prefix) {
    this.prefix = prefix;
    this.bodyStart = prefix.length() + 1;
    this.length = bodyStart + BODY_LENGTH + CHECK_LENGTH;
    this.headCrc = crcUpdate(0xFFFFFFFF, prefix + '_', 0, bodyStart);
  }

  /**
   * The default format, prefix {@code blnk}.
   *
   * @return the shared default format
   */
  public static KeyFormat blnk() {
    return BLNK;
  }

  /**
   * A format with a host's own prefix.
   *
   * @param prefix 1 to 16 characters of {@code [a-z0-9]}
   * @return the format ({@link #blnk()} itself for {@code "blnk"})
   * @throws NullPointerException if {@code prefix} is null
   * @throws IllegalArgumentException if the prefix is empty, too long or has other characters
   */
  public static KeyFormat withPrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty() || prefix.length() > 16) {
      throw new IllegalArgumentException("key prefix must be 1 to 16 characters");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
        throw new IllegalArgumentException("key prefix may only contain [a-z0-9]");
      }
    }
    return DEFAULT_PREFIX.equals(prefix) ? BLNK : new KeyFormat(prefix);
  }

  /**
   * The prefix, without the underscore that follows it in a key.
   *
   * @return e.g. {@code blnk}
   */
  public String prefix() {
    return prefix;
  }

  /**
   * The length of every key of this format.
   *
   * @return the prefix's length plus 50 (the underscore, 43 random and 6 check characters)
   */
  public int length() {
    return length;
  }

  /**
   * A regular expression for secret scanners.
   *
   * @return e.g. {@code blnk_[0-9A-Za-z]{49}}
   */
  public String scannerPattern() {
    return prefix + "_[0-9A-Za-z]{" + (BODY_LENGTH + CHECK_LENGTH) + "}";
  }

  /**
   * A new random key: 256 random bits in base62, then a CRC32 check in base62.
   *
   * @param random the source of the key's bits
   * @return the key, well formed for this format
   * @throws NullPointerException if {@code random} is null
   */
  public PlaintextKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    String body = base62(new BigInteger(1, bytes), BODY_LENGTH);
    String head = prefix + '_' + body;
    return new PlaintextKey(head + base62(BigInteger.valueOf(crc(head, head.length())), CHECK_LENGTH), this);
  }

  /**
   * Whether {@code key} has this format's shape and a matching checksum. Allocation-free apart from
   * what the JIT elides; touches no store, cache or hash.
   *
   * @param key the presented text, or null
   * @return whether {@code key} could be a key of this format
   */
  public boolean isWellFormed(CharSequence key) {
    if (key == null || key.length() != length || key.charAt(prefix.length()) != '_') {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (key.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    int checkStart = length - CHECK_LENGTH;
    // The alphabet by a table, not comparisons: the characters are random, so a branch per
    // character would be mispredicted half the time.
    int bad = 0;
    for (int i = bodyStart; i < checkStart; i++) {
      bad |= digitOrMinusOne(key.charAt(i));
    }
    long check = 0;
    for (int i = checkStart; i < length; i++) {
      int d = digitOrMinusOne(key.charAt(i));
      bad |= d;
      check = check * 62 + d;
    }
    return bad >= 0 && check == (~crcUpdate(headCrc, key, bodyStart, checkStart) & 0xFFFFFFFFL);
  }

  /**
   * The lookup id of a well-formed key.
   *
   * @param key the key
   * @return its lookup id (the first characters of its random part)
   * @throws IllegalArgumentException if the key is not well formed
   */
  public String lookupId(CharSequence key) {
    requireWellFormed(key);
    return key.subSequence(bodyStart, bodyStart + LOOKUP_ID_LENGTH).toString();
  }

  /**
   * The display prefix of a well-formed key.
   *
   * @param key the key
   * @return e.g. {@code blnk_Ab3dEf9h}
   * @throws IllegalArgumentException if the key is not well formed
   */
  public String displayPrefix(CharSequence key) {
    requireWellFormed(key);
    return key.subSequence(0, bodyStart + DISPLAY_LENGTH).toString();
  }

  /**
   * The display prefix for a lookup id.
   *
   * @param lookupId a lookup id of this format
   * @return e.g. {@code blnk_Ab3dEf9h}
   */
  public String displayPrefixOfLookupId(String lookupId) {
    return prefix + '_' + lookupId.substring(0, Math.min(DISPLAY_LENGTH, lookupId.length()));
  }

  private void requireWellFormed(CharSequence key) {
    if (!isWellFormed(key)) {
      throw new IllegalArgumentException("not a well-formed " + prefix + " key");
    }
  }

  /** CRC32 of the chars' low bytes, as {@link java.util.zip.CRC32} computes it. */
  private static long crc(CharSequence s, int end) {
    return ~crcUpdate(0xFFFFFFFF, s, 0, end) & 0xFFFFFFFFL;
  }

  /**
   * CRC-32 (IEEE, reflected) over the low bytes of {@code s[from, to)}, eight characters a step
   * ("slicing by 8"): eight independent table reads per step instead of a chain of eight dependent
   * ones, about four times faster on a key than a byte a step, and faster than the JDK's CRC32 on
   * inputs this short. Same result as {@link java.util.zip.CRC32}.
   */
  private static int crcUpdate(int crc, CharSequence s, int from, int to) {
    int[] t = CRC_TABLE;
    int c = crc;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      int x =
          c
              ^ ((s.charAt(i) & 0xFF)
                  | (s.charAt(i + 1) & 0xFF) << 8
                  | (s.charAt(i + 2) & 0xFF) << 16
                  | (s.charAt(i + 3) & 0xFF) << 24);
      c =
          t[7 * 256 + (x & 0xFF)]
              ^ t[6 * 256 + ((x >>> 8) & 0xFF)]
              ^ t[5 * 256 + ((x >>> 16) & 0xFF)]
              ^ t[4 * 256 + (x >>> 24)]
              ^ t[3 * 256 + (s.charAt(i + 4) & 0xFF)]
              ^ t[2 * 256 + (s.charAt(i + 5) & 0xFF)]
              ^ t[256 + (s.charAt(i + 6) & 0xFF)]
              ^ t[s.charAt(i + 7) & 0xFF];
    }
    for (; i < to; i++) {
      c = t[(c ^ s.charAt(i)) & 0xFF] ^ (c >>> 8);
    }
    return c;
  }

  /** Eight tables of 256 entries, one after the other: table k advances a byte k places further. */
  private static int[] crcTable() {
    int[] table = new int[8 * 256];
    for (int n = 0; n < 256; n++) {
      int c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      table[n] = c;
    }
    for (int k = 1; k < 8; k++) {
      for (int n = 0; n < 256; n++) {
        int previous = table[(k - 1) * 256 + n];
        table[k * 256 + n] = (previous >>> 8) ^ table[previous & 0xFF];
      }
    }
    return table;
  }

  /** The base-62 value of an ASCII letter or digit; -1 for anything else. */
  private static int digitOrMinusOne(int c) {
    return c >= 0 && c < DIGITS.length ? DIGITS[c] : -1;
  }

  private static byte[] digitTable() {
    byte[] table = new byte[128];
    Arrays.fill(table, (byte) -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      table[ALPHABET.charAt(i)] = (byte) i;
    }
    return table;
  }

  private static String base62(BigInteger value, int width) {
    char[] out = new char[width];
    BigInteger v = value;
    for (int i = width - 1; i >= 0; i--) {
      BigInteger[] qr = v.divideAndRemainder(BASE);
      out[i] = ALPHABET.charAt(qr[1].intValue());
      v = qr[0];
    }
    if (v.signum() != 0) {
      throw new IllegalStateException("value does not fit in " + width + " base62 digits");
    }
    return new String(out);
  }

  @Override
  public String toString() {
    return "KeyFormat[" + scannerPattern() + "]";
  }
}
