package io.blnk.auth;

import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.testing.ForwardingUsageStore;
import io.blnk.auth.usage.UsageStore;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shared buckets held in memory, for cluster mode without a database: a usage store whose {@link
 * #clusterBuckets} are compare-and-swap buckets in one map, as a database's rows would be.
 */
final class ClusterBuckets extends ForwardingUsageStore {

  /** The buckets' states by id, as rows of a table. */
  final ConcurrentHashMap<String, byte[]> states = new ConcurrentHashMap<>();
  /** Reads of a bucket's state: one per cluster check of a bucket, as a database round trip. */
  final AtomicInteger roundTrips = new AtomicInteger();
  /** While true, a bucket read fails as an unreachable database would. */
  volatile boolean down;

  ClusterBuckets() {
    super(UsageStore.inMemory()); // credits stay in memory; only the buckets are shared
  }

  @Override
  public Optional<ProxyManager<String>> clusterBuckets(TimeMeter clock) {
    return Optional.of(
        new AbstractCompareAndSwapBasedProxyManager<String>(ClientSideConfig.getDefault().withClientClock(clock)) {
          @Override
          protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
            return new CompareAndSwapOperation() {
              @Override
              public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                roundTrips.incrementAndGet();
                if (down) {
                  throw new StoreUnavailableException("rateLimit", "connection refused (test)", null);
                }
                return Optional.ofNullable(states.get(key));
              }

              @Override
              public boolean compareAndSwap(
                  byte[] original, byte[] newData, RemoteBucketState newState, Optional<Long> timeoutNanos) {
                return original == null
                    ? states.putIfAbsent(key, newData) == null
                    : states.replace(key, original, newData);
              }
            };
          }

          @Override
          protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
            throw new UnsupportedOperationException("synchronous only");
          }

          @Override
          public void removeProxy(String key) {
            states.remove(key);
          }

          @Override
          protected CompletableFuture<Void> removeAsync(String key) {
            states.remove(key);
            return CompletableFuture.completedFuture(null);
          }

          @Override
          public boolean isAsyncModeSupported() {
            return false;
          }
        });
  }
}
