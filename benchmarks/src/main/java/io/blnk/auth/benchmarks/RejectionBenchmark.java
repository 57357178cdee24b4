package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.store.KeyStore;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Claim 3 (SPEC §3, §5): what garbage costs. A key with a bad checksum is refused before any cache,
 * store or hash; a well-formed key whose lookup id is unknown is answered from the negative cache,
 * and after ten attempts a minute by the lookup id's throttle (429, as for a known id: neither runs
 * a query or a hash). Both go through {@link BlnkAuth#authenticate}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RejectionBenchmark {

  private BlnkAuth auth;
  private String badChecksum;
  private String unknownKey;
  private String remote;

  @Setup(Level.Trial)
  public void setUp() {
    auth = Fixtures.builder(KeyStore.inMemory(), Fixtures.hmac()).build();
    String good = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
    badChecksum = Fixtures.withBadChecksum(good);
    unknownKey = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    remote = "";
    Fixtures.require(!KeyFormat.blnk().isWellFormed(badChecksum), "bad checksum is malformed");
    // The first request for the unknown id asks the store once and caches the miss.
    requireInvalid(auth.authenticate(unknownKey, remote));
    requireInvalid(auth.authenticate(badChecksum, remote));
  }

  private static void requireInvalid(AuthResult result) {
    Fixtures.require(
        result instanceof AuthResult.Denied d && d.code() == ErrorCode.AUTH_INVALID_API_KEY,
        "AUTH_INVALID_API_KEY expected, was " + result);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    auth.close();
  }

  @Benchmark
  public AuthResult malformedKey() {
    return auth.authenticate(badChecksum, remote);
  }

  @Benchmark
  public AuthResult unknownLookupId() {
    return auth.authenticate(unknownKey, remote);
  }
}
