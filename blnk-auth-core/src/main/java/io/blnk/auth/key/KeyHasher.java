package io.blnk.auth.key;


/**
 * Turns a plaintext key into the only thing the store keeps, and checks a presented key against
 * it. Encodings are self-describing (PHC strings), so parameters can change and old hashes are
 * upgraded on the next successful verification ({@link #needsRehash}).
 *
 * <p>Implementations must be thread-safe.
 */
public interface KeyHasher {

  /**
   * Hashes a key with a fresh salt.
   *
   * @param key the plaintext key's bytes (UTF-8); not retained
   * @return the encoded hash, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$...}
   */
  String hash(byte[] key);

  /**
   * Checks a presented key against an encoded hash, in time independent of where they differ.
   *
   * @param encoded the stored encoding, as {@link #hash} returned it
   * @param key the presented key's bytes (UTF-8); not retained
   * @return whether the key matches; false also for an encoding this hasher does not understand
   */
  boolean verify(String encoded, byte[] key);

  /**
   * Whether {@code encoded} was made with other parameters or another algorithm than this one's,
   * so that it should be replaced after the next successful verification.
   *
   * @param encoded the stored encoding
   * @return true when a fresh {@link #hash} would differ in algorithm or parameters
   */
  boolean needsRehash(String encoded);

  /**
   * Argon2id with the default parameters: m=19456 KiB, t=2, p=1 (OWASP's recommendation).
   * Thread-safe.
   *
   * @return the hasher
   */
  static KeyHasher argon2id() {
    return argon2id(19456, 2, 1);
  }

  /**
   * Argon2id with the given parameters.
   *
   * @param memoryKiB memory cost in KiB, at least 8 × parallelism
   * @param iterations time cost, at least 1
   * @param parallelism lanes, at least 1
   * @return the hasher, thread-safe
   * @throws IllegalArgumentException if a parameter is out of range
   */
  static KeyHasher argon2id(int memoryKiB, int iterations, int parallelism) {
    return new Argon2idHasher(memoryKiB, iterations, parallelism);
  }

  /**
   * HMAC-SHA256 with a server-side pepper: the documented fast alternative, sound because keys
   * carry 256 random bits. Anyone with the pepper and the table can test guesses, so keep the
   * pepper out of the database.
   *
   * @param pepper at least 32 bytes; copied
   * @return the hasher, thread-safe
   * @throws IllegalArgumentException if the pepper is shorter than 32 bytes
   */
  static KeyHasher hmacSha256(byte[] pepper) {
    return new HmacSha256Hasher(pepper);
  }
}
