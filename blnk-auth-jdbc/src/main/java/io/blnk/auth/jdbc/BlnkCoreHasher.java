package io.blnk.auth.jdbc;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.blnk.auth.key.KeyHasher;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A {@link KeyHasher} that also verifies the bcrypt hashes imported from Blnk Core ({@code $2a$},
 * {@code $2b$}, {@code $2y$}) and asks for every one of them to be rehashed, so a legacy key moves
 * to the current scheme on its first successful use. New hashes, and every other encoding, are the
 * wrapped hasher's.
 *
 * <pre>{@code
 * BlnkAuth auth = BlnkAuth.builder()
 *     .store(store)
 *     .hasher(BlnkCoreHasher.upgradingTo(KeyHasher.argon2id()))
 *     .acceptBlnkCoreKeys(true)
 *     .build();
 * }</pre>
 *
 * <p>bcrypt comes from {@code at.favre.lib:bcrypt}, an optional dependency of this module: a host
 * that uses this class adds it. Thread-safe; bcrypt comparisons are constant-time.
 */
public final class BlnkCoreHasher implements KeyHasher {

  private final KeyHasher current;
  private final BCrypt.Verifyer bcrypt = BCrypt.verifyer();

  private BlnkCoreHasher(KeyHasher current) {
    this.current = current;
  }

  /**
   * A hasher that hashes with {@code current}, verifies {@code current}'s encodings and bcrypt, and
   * upgrades bcrypt to {@code current}.
   *
   * @param current the hasher for new hashes, e.g. {@link KeyHasher#argon2id()}
   * @return a thread-safe hasher that hashes with {@code current} and verifies both
   * @throws NullPointerException if {@code current} is null
   */
  public static KeyHasher upgradingTo(KeyHasher current) {
    return new BlnkCoreHasher(Objects.requireNonNull(current, "current"));
  }

  /**
   * Whether {@code encoded} is a bcrypt hash, as Blnk Core stores them. Never throws.
   *
   * @param encoded a stored hash, or null
   * @return true for a 60-character {@code $2a$}, {@code $2b$} or {@code $2y$} hash
   */
  public static boolean isBcrypt(String encoded) {
    return encoded != null
        && encoded.length() == 60
        && (encoded.startsWith("$2a$") || encoded.startsWith("$2b$") || encoded.startsWith("$2y$"));
  }

  /** The wrapped hasher's hash. */
  @Override
  public String hash(byte[] key) {
    return current.hash(key);
  }

  /** bcrypt for a bcrypt encoding, otherwise the wrapped hasher's verification. */
  @Override
  public boolean verify(String encoded, byte[] key) {
    Objects.requireNonNull(encoded, "encoded");
    Objects.requireNonNull(key, "key");
    if (!isBcrypt(encoded)) {
      return current.verify(encoded, key);
    }
    try {
      return bcrypt.verify(key, encoded.getBytes(StandardCharsets.US_ASCII)).verified;
    } catch (RuntimeException malformedOrTooLong) {
      return false;
    }
  }

  /** Always for bcrypt; otherwise as the wrapped hasher says. */
  @Override
  public boolean needsRehash(String encoded) {
    Objects.requireNonNull(encoded, "encoded");
    return isBcrypt(encoded) || current.needsRehash(encoded);
  }

  @Override
  public String toString() {
    return "BlnkCoreHasher[bcrypt -> " + current + "]";
  }
}
