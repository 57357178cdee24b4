package io.blnk.auth.key;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import java.util.Objects;

/** Argon2id through argon2-jvm's bundled libargon2, PHC-encoded. Thread-safe. */
final class Argon2idHasher implements KeyHasher {

  private static final String PREFIX = "$argon2id$";

  private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
  private final int memoryKiB;
  private final int iterations;
  private final int parallelism;
  /** What every hash made with exactly these parameters starts with. */
  private final String parametersPrefix;

  Argon2idHasher(int memoryKiB, int iterations, int parallelism) {
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("parallelism must be 1 to 64, was " + parallelism);
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
    }
    if (memoryKiB < 8 * parallelism) {
      throw new IllegalArgumentException(
          "memoryKiB must be at least 8 × parallelism (" + 8 * parallelism + "), was " + memoryKiB);
    }
    this.memoryKiB = memoryKiB;
    this.iterations = iterations;
    this.parallelism = parallelism;
    this.parametersPrefix =
        PREFIX + "v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$";
  }

  @Override
  public String hash(byte[] key) {
    Objects.requireNonNull(key, "key");
    return argon2.hash(iterations, memoryKiB, parallelism, key);
  }

  @Override
  public boolean verify(String encoded, byte[] key) {
    Objects.requireNonNull(encoded, "encoded");
    Objects.requireNonNull(key, "key");
    if (!encoded.startsWith(PREFIX)) {
      return false;
    }
    try {
      return argon2.verify(encoded, key);
    } catch (RuntimeException malformedEncoding) {
      return false;
    }
  }

  /**
   * True unless {@code encoded} is an Argon2id v19 hash with exactly this hasher's parameters:
   * argon2-jvm's own check only asks for a rehash when a parameter is lower than configured, so a
   * deliberate change to cheaper parameters would never reach the stored hashes.
   */
  @Override
  public boolean needsRehash(String encoded) {
    Objects.requireNonNull(encoded, "encoded");
    return !encoded.startsWith(parametersPrefix);
  }

  @Override
  public String toString() {
    return "Argon2id[m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "]";
  }
}
