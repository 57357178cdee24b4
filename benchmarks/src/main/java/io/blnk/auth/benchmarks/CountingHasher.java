package io.blnk.auth.benchmarks;

import io.blnk.auth.key.KeyHasher;
import java.util.concurrent.atomic.AtomicInteger;

/** A hasher that counts how often it verifies, to show single flight. Thread-safe. */
final class CountingHasher implements KeyHasher {

  private final KeyHasher delegate;
  private final AtomicInteger verifications = new AtomicInteger();

  CountingHasher(KeyHasher delegate) {
    this.delegate = delegate;
  }

  @Override
  public String hash(byte[] key) {
    return delegate.hash(key);
  }

  @Override
  public boolean verify(String encoded, byte[] key) {
    verifications.incrementAndGet();
    return delegate.verify(encoded, key);
  }

  @Override
  public boolean needsRehash(String encoded) {
    return delegate.needsRehash(encoded);
  }

  int verifications() {
    return verifications.get();
  }

  void reset() {
    verifications.set(0);
  }

  @Override
  public String toString() {
    return "Counting[" + delegate + "]";
  }
}
