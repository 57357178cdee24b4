package io.blnk.auth.benchmarks;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Claim 4, second half (SPEC §5): 64 concurrent first requests for one key cost one Argon2id
 * verification (default parameters), beside the baseline of 64 independent verifications, which is
 * what a cache without single flight does when 64 requests miss together.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.blnk.auth.benchmarks.SingleFlight
 * [threads] [rounds]}. Prints, per round, the verification count and the wall time from releasing
 * the threads to the last answer, then the medians.
 */
public final class SingleFlight {

  private SingleFlight() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    KeyHasher argon2id = KeyHasher.argon2id();
    CountingHasher counting = new CountingHasher(argon2id);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long[] ours = new long[rounds];
    long[] baseline = new long[rounds];
    try (BlnkAuth auth = Fixtures.builder(KeyStore.inMemory(), counting).build()) {
      // Load the native library and warm both paths once.
      Fixtures.requireGranted(auth.authenticate(Fixtures.createKey(auth, Fixtures.FIVE_SCOPES), ""), "warm-up");
      System.out.printf("threads=%d rounds=%d hasher=%s cores=%d%n",
          threads, rounds, argon2id, Runtime.getRuntime().availableProcessors());
      for (int round = 0; round < rounds; round++) {
        String key = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
        counting.reset();
        Run run = concurrently(pool, threads, () -> auth.authenticate(key, "").granted());
        int verifications = counting.verifications();
        Fixtures.require(run.succeeded == threads, "every first request granted, was " + run.succeeded);
        ours[round] = run.nanos;

        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        String hash = argon2id.hash(bytes);
        counting.reset();
        Run independent = concurrently(pool, threads, () -> counting.verify(hash, bytes));
        Fixtures.require(independent.succeeded == threads, "every baseline verification succeeds");
        baseline[round] = independent.nanos;
        System.out.printf(
            "round %d: single flight: %d concurrent first requests -> %d verification(s), %.1f ms"
                + " | baseline: %d independent verifications, %.1f ms%n",
            round + 1, threads, verifications, run.nanos / 1e6, counting.verifications(),
            independent.nanos / 1e6);
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "median wall time: single flight %.1f ms (1 verification) vs baseline %.1f ms (%d verifications)"
            + " -> %.1fx%n",
        median(ours) / 1e6, median(baseline) / 1e6, threads, (double) median(baseline) / median(ours));
  }

  private record Run(int succeeded, long nanos) {}

  /** Releases {@code threads} tasks at once; the time runs from the release to the last answer. */
  private static Run concurrently(ExecutorService pool, int threads, BooleanSupplier task)
      throws Exception {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> answers = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      answers.add(
          pool.submit(
              () -> {
                ready.countDown();
                go.await();
                return task.getAsBoolean();
              }));
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    int succeeded = 0;
    for (Future<Boolean> answer : answers) {
      if (answer.get()) {
        succeeded++;
      }
    }
    return new Run(succeeded, System.nanoTime() - start);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
