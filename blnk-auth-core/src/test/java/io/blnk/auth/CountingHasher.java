package io.blnk.auth;

import io.blnk.auth.key.KeyHasher;
import java.util.concurrent.atomic.AtomicInteger;

/** A hasher wrapper that counts verifications and can hold them up for a while. Thread-safe. */
final class CountingHasher implements KeyHasher {

  /** What runs at the start of every verification, e.g. a pause that widens a race window. */
  interface Hook {
    void beforeVerify(byte[] key) throws InterruptedException;
  }

  private final KeyHasher delegate;
  final AtomicInteger verifications = new AtomicInteger();
  final AtomicInteger hashes = new AtomicInteger();
  /** Hashes and verifications running right now, and the most ever seen at once. */
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger mostAtOnce = new AtomicInteger();
  /** What runs inside every {@link #hash}, e.g. a pause that lets others pile up. */
  volatile Hook hashHook = key -> {};
  volatile Hook hook = key -> {};

  CountingHasher(KeyHasher delegate) {
    this.delegate = delegate;
  }

  CountingHasher() {
    this(KeyHasher.hmacSha256(new byte[32]));
  }

  @Override
  public String hash(byte[] key) {
    hashes.incrementAndGet();
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      hashHook.beforeVerify(key);
      return delegate.hash(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return delegate.hash(key);
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public boolean verify(String encoded, byte[] key) {
    verifications.incrementAndGet();
    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      hook.beforeVerify(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running.decrementAndGet();
    }
    return delegate.verify(encoded, key);
  }

  @Override
  public boolean needsRehash(String encoded) {
    return delegate.needsRehash(encoded);
  }

  @Override
  public String toString() {
    return "Counting" + delegate;
  }
}
