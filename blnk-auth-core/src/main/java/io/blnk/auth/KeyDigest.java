package io.blnk.auth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA-256 of a presented key: what the verified-key cache is keyed by, so that the cache never
 * holds a plaintext key.
 */
final class KeyDigest {

  /** Per thread: the digest, and scratch space so that a digest of an ASCII key allocates nothing. */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * One thread's scratch space: the presented key's ASCII bytes and the digest's output, reused so
   * that checking and digesting a key allocates nothing. {@link #load} fills it; every caller wipes
   * it ({@link #wipe}) before the plaintext could outlive the request.
   */
  static final class Scratch {
    private final MessageDigest sha256;
    /** The presented key, one byte per ASCII character; zeros outside a request. */
    final byte[] in = new byte[128];
    private final byte[] out = new byte[32];

    private Scratch() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is unavailable", e);
      }
    }

    /**
     * Copies {@code key} into {@link #in}, one byte per character.
     *
     * @return the key's length, or -1 (and nothing left behind) if it is longer than the space or
     *     has a character outside ASCII
     */
    int load(String key) {
      int n = key.length();
      if (n > in.length) {
        return -1;
      }
      byte[] to = in;
      int high = 0;
      for (int i = 0; i < n; i++) {
        char c = key.charAt(i);
        high |= c;
        to[i] = (byte) c;
      }
      if (high >= 0x80) {
        wipe(n);
        return -1;
      }
      return n;
    }

    /** SHA-256 of the first {@code n} bytes of {@link #in}; leaves them in place. */
    KeyDigest digest(int n) {
      MessageDigest md = sha256;
      md.update(in, 0, n);
      byte[] o = out;
      try {
        md.digest(o, 0, o.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 digest failed", e);
      }
      return new KeyDigest(word(o, 0), word(o, 8), word(o, 16), word(o, 24));
    }

    /** Zeros the first {@code n} bytes of {@link #in}: no plaintext left in the scratch space. */
    void wipe(int n) {
      Arrays.fill(in, 0, Math.max(n, 0), (byte) 0);
    }
  }

  /** This thread's scratch space. */
  static Scratch scratch() {
    return SCRATCH.get();
  }

  private final long a;
  private final long b;
  private final long c;
  private final long d;

  private KeyDigest(long a, long b, long c, long d) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  static KeyDigest of(byte[] key) {
    ByteBuffer hash = ByteBuffer.wrap(SCRATCH.get().sha256.digest(key));
    return new KeyDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
  }

  /** The digest as 64 lower-case hex digits: the store's {@code key_digest}. */
  String hex() {
    StringBuilder out = new StringBuilder(64);
    for (long w : new long[] {a, b, c, d}) {
      String h = Long.toHexString(w);
      out.append("0".repeat(16 - h.length())).append(h);
    }
    return out.toString();
  }

  /**
   * The digest of {@code key}'s UTF-8 bytes, equal to {@code of(key.getBytes(UTF_8))}; a short
   * ASCII key (every well-formed key) is encoded into per-thread scratch space, not a new array.
   */
  static KeyDigest of(String key) {
    Scratch s = SCRATCH.get();
    int n = s.load(key);
    if (n < 0) {
      return of(key.getBytes(StandardCharsets.UTF_8));
    }
    try {
      return s.digest(n);
    } finally {
      s.wipe(n);
    }
  }

  /**
   * Compares in time independent of where the digests differ (for the master keys' digests).
   *
   * @return whether both digests are the same
   */
  boolean sameAs(KeyDigest other) {
    return ((a ^ other.a) | (b ^ other.b) | (c ^ other.c) | (d ^ other.d)) == 0;
  }

  private static long word(byte[] b, int at) {
    return (long) WORDS.get(b, at);
  }

  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyDigest k && a == k.a && b == k.b && c == k.c && d == k.d;
  }

  @Override
  public int hashCode() {
    return (int) a;
  }

  @Override
  public String toString() {
    return "KeyDigest[redacted]";
  }
}
