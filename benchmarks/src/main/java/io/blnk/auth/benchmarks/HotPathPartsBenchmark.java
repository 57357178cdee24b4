package io.blnk.auth.benchmarks;

import io.blnk.auth.BenchmarkHooks;
import io.blnk.auth.key.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostics, not a claim: the steps of the request path one by one, to see where the time of
 * {@link RequestPathBenchmark} and {@link RejectionBenchmark} goes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathPartsBenchmark {

  private KeyFormat format;
  private String key;
  private String badChecksum;
  private byte[] keyBytes;
  private char[] masterChars;

  @Setup(Level.Trial)
  public void setUp() {
    format = KeyFormat.blnk();
    key = format.generate(new SecureRandom()).reveal();
    badChecksum = Fixtures.withBadChecksum(key);
    keyBytes = key.getBytes(StandardCharsets.UTF_8);
    masterChars = Fixtures.MASTER_KEY.toCharArray();
  }

  /** Step 6 needs the header's bytes for the digest. */
  @Benchmark
  public byte[] headerBytes() {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** Step 4: constant-time comparison with the master key. */
  @Benchmark
  public boolean masterKeyComparison() {
    return BenchmarkHooks.isMasterKey(key, masterChars);
  }

  /** Step 5: shape and CRC32 checksum of a good key. */
  @Benchmark
  public boolean wellFormedGoodKey() {
    return format.isWellFormed(key);
  }

  /** Step 5: shape and CRC32 checksum of a key with a bad checksum. */
  @Benchmark
  public boolean wellFormedBadChecksum() {
    return format.isWellFormed(badChecksum);
  }

  /** Step 6: the cache key, SHA-256 of the header. */
  @Benchmark
  public Object cacheKeyDigest() {
    return BenchmarkHooks.keyDigest(keyBytes);
  }

  /** Step 6 on a miss: the lookup id (re-checks the key's form). */
  @Benchmark
  public String lookupId() {
    return format.lookupId(key);
  }
}
