package io.blnk.auth.key;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with a pepper, encoded {@code $hmac-sha256$v=1$<base64 mac>}. No salt is needed:
 * the keys themselves carry 256 random bits. Thread-safe.
 */
final class HmacSha256Hasher implements KeyHasher {

  private static final String PREFIX = "$hmac-sha256$v=1$";
  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

  private final SecretKeySpec pepper;

  HmacSha256Hasher(byte[] pepper) {
    Objects.requireNonNull(pepper, "pepper");
    if (pepper.length < 32) {
      throw new IllegalArgumentException(
          "pepper must be at least 32 bytes, was " + pepper.length);
    }
    this.pepper = new SecretKeySpec(Arrays.copyOf(pepper, pepper.length), "HmacSHA256");
  }

  @Override
  public String hash(byte[] key) {
    return PREFIX + ENCODER.encodeToString(mac(key));
  }

  @Override
  public boolean verify(String encoded, byte[] key) {
    Objects.requireNonNull(encoded, "encoded");
    byte[] expected = PREFIX.length() < encoded.length() && encoded.startsWith(PREFIX)
        ? decode(encoded.substring(PREFIX.length()))
        : null;
    return expected != null && MessageDigest.isEqual(mac(key), expected);
  }

  @Override
  public boolean needsRehash(String encoded) {
    return !encoded.startsWith(PREFIX);
  }

  private byte[] mac(byte[] key) {
    Objects.requireNonNull(key, "key");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(pepper);
      return mac.doFinal(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  private static byte[] decode(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "HmacSha256[pepper=redacted]";
  }
}
