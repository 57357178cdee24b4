package io.blnk.auth.jdbc;

import io.blnk.auth.key.KeyHasher;
import java.util.Objects;
import org.springframework.security.crypto.bcrypt.BCrypt;

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
 * <p>bcrypt comes from {@code org.springframework.security:spring-security-crypto} (its {@code
 * BCrypt} class only; a standalone jar without dependencies, module {@code spring.security.crypto}),
 * an optional dependency of this module: a host that uses this class adds it, and {@link
 * #upgradingTo} fails clearly without it. A presented key over 72 bytes never matches a bcrypt hash
 * (bcrypt would ignore the rest), and a malformed stored bcrypt hash matches nothing. Thread-safe;
 * bcrypt comparisons are constant-time.
 */
public final class BlnkCoreHasher implements KeyHasher {

  /** bcrypt uses the first 72 bytes of a key only: a longer key is refused, never truncated. */
  static final int MAX_BCRYPT_KEY_BYTES = 72;

  /** The class of the optional dependency, checked for by {@link #upgradingTo}. */
  static final String BCRYPT_CLASS = "org.springframework.security.crypto.bcrypt.BCrypt";

  private final KeyHasher current;

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
   * @throws IllegalStateException if {@code org.springframework.security:spring-security-crypto} is
   *     not on the class path (or module path)
   */
  public static KeyHasher upgradingTo(KeyHasher current) {
    Objects.requireNonNull(current, "current");
    requireBcrypt(BlnkCoreHasher.class.getClassLoader());
    return new BlnkCoreHasher(current);
  }

  /** Fails with what to add unless {@code loader} sees the optional bcrypt class. */
  static void requireBcrypt(ClassLoader loader) {
    try {
      Class.forName(BCRYPT_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError absent) {
      throw new IllegalStateException(
          "BlnkCoreHasher needs bcrypt to verify Blnk Core's keys: add the dependency"
              + " org.springframework.security:spring-security-crypto (module spring.security.crypto)",
          absent);
    }
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
    if (key.length > MAX_BCRYPT_KEY_BYTES) {
      return false;
    }
    try {
      return BCrypt.checkpw(key, encoded);
    } catch (RuntimeException malformed) {
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
