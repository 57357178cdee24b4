package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BenchmarkHooks;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 9's two hash-work counts, each beside the single-cache design's figure computed by the same
 * harness in the same run:
 *
 * <ol>
 *   <li><b>Argon2id runs per active key per hour in steady state.</b> {@code keys} keys (real
 *       Argon2id, default parameters) each make one request every 10 s for {@code hours} hours on a
 *       simulated clock (caches age with it; default TTLs). Ours: verifications counted by a
 *       counting hasher after each key's first sight. Single-cache baseline: that design verified
 *       the hash on every load of an expired entry, i.e. exactly at each record reload counted here
 *       (reads by key id).
 *   <li><b>Hash verifications after a reconnect with 10,000 cached keys.</b> 10,000 proven keys
 *       (HMAC-SHA256 hasher: the count does not depend on the hasher, and 10,000 Argon2id first
 *       sights would take minutes on two cores); the feed reports that changes may have been missed;
 *       every key is presented once more. Ours: verifications counted. Baseline: the single-cache
 *       design flushed every verified key and re-verified each on its next request, i.e. one per
 *       key presented again (which our run reads by id instead).
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.blnk.auth.benchmarks.HashWorkCounts
 * [keys] [hours] [cachedKeys]}.
 */
public final class HashWorkCounts {

  private HashWorkCounts() {}

  /** A clock moved by hand; the library derives a monotonic cache ticker from it. */
  static final class SimulatedClock implements InstantSource {
    private volatile Instant now = Instant.now();

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  public static void main(String[] args) {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int hours = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int cached = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    System.out.printf(Locale.ROOT, "hash work counts, %d cores%n", Runtime.getRuntime().availableProcessors());
    steadyState(keys, hours);
    reconnect(cached);
  }

  private static void steadyState(int keys, int hours) {
    SimulatedClock clock = new SimulatedClock();
    ReadCountingKeyStore store = new ReadCountingKeyStore(KeyStore.inMemory());
    CountingHasher hasher = new CountingHasher(KeyHasher.argon2id());
    try (BlnkAuth auth = Fixtures.builder(store, hasher).clock(clock).build()) {
      List<String> presented = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        presented.add(Fixtures.createKeyAt(auth, Fixtures.FIVE_SCOPES, clock.instant().plus(Duration.ofDays(30))));
      }
      for (String k : presented) {
        Fixtures.requireGranted(auth.authenticate(k, ""), "first sight");
      }
      hasher.reset();
      int readsBefore = store.byId.get();
      int lookupsBefore = store.byLookupId.get();
      int steps = hours * 360;
      for (int step = 0; step < steps; step++) {
        clock.advance(Duration.ofSeconds(10));
        for (String k : presented) {
          Fixtures.requireGranted(auth.authenticate(k, ""), "steady request");
        }
      }
      double ours = (double) hasher.verifications() / keys / hours;
      double baseline = (double) (store.byId.get() - readsBefore) / keys / hours;
      System.out.printf(
          Locale.ROOT,
          "steady state (%d keys, Argon2id m=19456 t=2 p=1, 1 request per key per 10 s, %d simulated hours,"
              + " record TTL 60 s):%n"
              + "  Argon2id runs per active key per hour: ours %.2f | single-cache design %.2f"
              + " (one per record load)%n"
              + "  store reads per key per hour: by lookup id (with hash) %.2f, by key id (no hash) %.2f%n",
          keys, hours, ours, baseline,
          (double) (store.byLookupId.get() - lookupsBefore) / keys / hours, baseline);
    }
  }

  private static void reconnect(int count) {
    ReadCountingKeyStore store = new ReadCountingKeyStore(KeyStore.inMemory());
    CountingHasher hasher = new CountingHasher(Fixtures.hmac());
    // One owner holds every key here: lift the per-owner limit of active keys (default 1,000).
    try (BlnkAuth auth = Fixtures.builder(store, hasher).maxActiveKeysPerOwner(count).build()) {
      List<String> presented = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        presented.add(Fixtures.createKey(auth, Fixtures.FIVE_SCOPES));
      }
      for (String k : presented) {
        Fixtures.requireGranted(auth.authenticate(k, ""), "first sight");
      }
      Fixtures.require(BenchmarkHooks.estimatedCachedKeys(auth) == count, "every key proven");
      hasher.reset();
      int readsBefore = store.byId.get();
      int lookupsBefore = store.byLookupId.get();

      BenchmarkHooks.feedInterrupted(auth);
      long recordsLeft = BenchmarkHooks.estimatedCachedRecords(auth);
      long start = System.nanoTime();
      for (String k : presented) {
        AuthResult r = auth.authenticate(k, "");
        Fixtures.requireGranted(r, "after the reconnect");
      }
      long nanos = System.nanoTime() - start;
      int reloads = store.byId.get() - readsBefore;
      System.out.printf(
          Locale.ROOT,
          "reconnect with %d cached keys (records left after the feed interruption: %d):%n"
              + "  hash verifications afterwards: ours %d | single-cache design %d (every flushed key re-verified)%n"
              + "  ours instead: %d reads by key id, %d reads by lookup id; all %d keys answered in %.1f ms%n",
          count, recordsLeft, hasher.verifications(), reloads, reloads,
          store.byLookupId.get() - lookupsBefore, count, nanos / 1e6);
    }
  }
}
