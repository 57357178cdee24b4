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

  private static final class Scratch {
    final MessageDigest sha256;
    final byte[] in = new byte[128];
    final byte[] out = new byte[32];

    Scratch() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is unavailable", e);
      }
    }
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
    int n = key.length();
    if (n > s.in.length) {
      return of(key.getBytes(StandardCharsets.UTF_8));
    }
    byte[] in = s.in;
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c >= 0x80) {
        return of(key.getBytes(StandardCharsets.UTF_8));
      }
      in[i] = (byte) c;
    }
    MessageDigest md = s.sha256;
    md.update(in, 0, n);
    Arrays.fill(in, 0, n, (byte) 0); // no plaintext left behind in the scratch space
    byte[] out = s.out;
    try {
      md.digest(out, 0, out.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest failed", e);
    }
    return new KeyDigest(word(out, 0), word(out, 8), word(out, 16), word(out, 24));
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
