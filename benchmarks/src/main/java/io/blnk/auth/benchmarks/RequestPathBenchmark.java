package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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
 * Claim 1 (SPEC §4, §5, §12): one request's whole decision, header value to grant, for a key that
 * is in the verified-key cache, beside the reference design that verifies a bcrypt cost-10 hash on
 * every request. Both keys hold the same five scopes and the request ({@code GET} on {@code
 * ledgers}) matches only the last one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestPathBenchmark {

  private BlnkAuth auth;
  private String key;
  private Optional<Resource> ledgers;
  private String method;
  private String remote;

  private ReferenceDesign reference;
  private String referenceKey;
  private String resourceName;
  private String action;

  @Setup(Level.Trial)
  public void setUp() {
    auth = Fixtures.builder(KeyStore.inMemory(), Fixtures.hmac()).build();
    key = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
    ledgers = auth.registry().find("ledgers");
    method = "GET";
    remote = "";
    // Warm the cache: the first request verifies, every later one is a cache hit.
    Fixtures.requireGranted(auth.decide(key, ledgers, method, remote), "the warm-up request");

    reference = new ReferenceDesign();
    referenceKey = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
    reference.add(referenceKey, Fixtures.FIVE_SCOPES, Instant.now().plus(Duration.ofDays(1)));
    resourceName = "ledgers";
    action = "read";
    Fixtures.require(reference.decide(referenceKey, resourceName, action), "reference grants");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    auth.close();
  }

  /** Ours: SHA-256 digest of the header, cache hit, expiry, compiled scope check. */
  @Benchmark
  public AuthResult cachedDecision() {
    return auth.decide(key, ledgers, method, remote);
  }

  /** Baseline: the reference's cache hit followed by bcrypt (cost 10) and split scopes. */
  @Benchmark
  public boolean referenceBcryptPerRequest() {
    return reference.decide(referenceKey, resourceName, action);
  }
}
