package io.blnk.auth.spring.actuate;

import io.blnk.auth.key.KeyHasher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A {@link KeyHasher} that times verifications in {@value #VERIFICATIONS}, tagged {@code outcome}
 * {@code match} or {@code mismatch}. Thread-safe when the hasher is.
 */
final class TimedKeyHasher implements KeyHasher {

  static final String VERIFICATIONS = "blnk.auth.hash.verifications";

  private final KeyHasher hasher;
  private final Timer match;
  private final Timer mismatch;

  TimedKeyHasher(KeyHasher hasher, MeterRegistry registry) {
    this.hasher = hasher;
    this.match = timer(registry, "match");
    this.mismatch = timer(registry, "mismatch");
  }

  private static Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder(VERIFICATIONS)
        .description("Key hash verifications (cache misses only)")
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public String hash(byte[] key) {
    return hasher.hash(key);
  }

  @Override
  public boolean verify(String encoded, byte[] key) {
    long start = System.nanoTime();
    boolean ok = hasher.verify(encoded, key);
    (ok ? match : mismatch).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    return ok;
  }

  @Override
  public boolean needsRehash(String encoded) {
    return hasher.needsRehash(encoded);
  }

  @Override
  public String toString() {
    return "TimedKeyHasher[" + hasher + "]";
  }
}
