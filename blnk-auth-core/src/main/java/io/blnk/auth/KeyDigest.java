package io.blnk.auth;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a presented key: what the verified-key cache is keyed by, so that the cache never
 * holds a plaintext key.
 */
final class KeyDigest {

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is unavailable", e);
            }
          });

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
    ByteBuffer hash = ByteBuffer.wrap(SHA256.get().digest(key));
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
