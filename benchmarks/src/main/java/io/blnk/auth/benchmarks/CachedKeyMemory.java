package io.blnk.auth.benchmarks;

import io.blnk.auth.BenchmarkHooks;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.store.KeyStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claim 6 (SPEC §5): heap per cached key with 100,000 keys in the verified-key cache, beside a
 * naive cache that keeps each key's full {@link ApiKey} record keyed by the plaintext string.
 *
 * <p>Method: create the keys in a {@link CopyingKeyStore} (in memory, but every lookup returns
 * fresh objects, as a database would), measure the used heap after full GCs, authenticate every
 * key once, flush {@code last_used_at}, measure again; bytes per key = difference / count. The
 * baseline fills a {@code ConcurrentHashMap<String, ApiKey>} from the same store, with a copy of
 * each header string (a cache keyed by the plaintext keeps the request's string).
 *
 * <p>Run: {@code java -Xmx4g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar
 * io.blnk.auth.benchmarks.CachedKeyMemory [count]}.
 */
public final class CachedKeyMemory {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private CachedKeyMemory() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    KeyStore store = new CopyingKeyStore(KeyStore.inMemory());
    List<String> keys = new ArrayList<>(count);
    double ours;
    try (BlnkAuth auth = Fixtures.builder(store, Fixtures.hmac()).build()) {
      for (int i = 0; i < count; i++) {
        keys.add(Fixtures.createKey(auth, Fixtures.FIVE_SCOPES));
      }
      // Warm the code paths on a key we then forget, so class loading is not charged to the cache.
      Fixtures.requireGranted(auth.authenticate(keys.get(0), ""), "warm-up");
      long before = usedAfterGc();
      for (String key : keys) {
        Fixtures.requireGranted(auth.authenticate(key, ""), "a cached key");
      }
      auth.flushLastUsed();
      long after = usedAfterGc();
      long cached = BenchmarkHooks.estimatedCachedKeys(auth);
      Fixtures.require(cached == count, "all " + count + " keys cached, was " + cached);
      ours = (double) (after - before) / (count - 1);
      System.out.printf(
          "blnk-auth verified-key cache: %d keys, heap %+.1f MiB, %.0f bytes per cached key%n",
          cached, (after - before) / 1048576.0, ours);
      Reference.reachabilityFence(auth);
    }

    Map<String, ApiKey> naive = new ConcurrentHashMap<>();
    long before = usedAfterGc();
    KeyFormat format = KeyFormat.blnk();
    for (String key : keys) {
      ApiKey record = store.findByLookupId(format.lookupId(key)).orElseThrow().key();
      naive.put(CopyingKeyStore.fresh(key), record);
    }
    long after = usedAfterGc();
    double baseline = (double) (after - before) / count;
    System.out.printf(
        "baseline Map<plaintext String, ApiKey>: %d keys, heap %+.1f MiB, %.0f bytes per cached key%n",
        naive.size(), (after - before) / 1048576.0, baseline);
    System.out.printf("ours / baseline = %.2f; target < 1024 bytes per key: %s%n",
        ours / baseline, ours < 1024 ? "met" : "MISSED");
    Reference.reachabilityFence(naive);
    Reference.reachabilityFence(keys);
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
