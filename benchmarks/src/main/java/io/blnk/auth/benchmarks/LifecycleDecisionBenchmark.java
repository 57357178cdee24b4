package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Issue 12: the cached decision of a key with an IP allow list, and of one with meta data, beside
 * the plain cached decision of a key without either, in the same run (goal: at most 10 % slower).
 * Every key holds the same five scopes; the request ({@code GET} on {@code ledgers}) matches only
 * the last one. The allow list holds eight ranges (four IPv4, four IPv6) and the client is inside
 * the last range of its family, so every range is tried; the meta data is 1 KiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LifecycleDecisionBenchmark {

  static final List<String> EIGHT_RANGES =
      List.of(
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "198.51.100.0/24",
          "2001:db8:1::/48",
          "2001:db8:2::/48",
          "fd00::/8",
          "2001:db8:ffff::/48");

  private BlnkAuth auth;
  private Optional<Resource> ledgers;
  private String plainKey;
  private String ipKey;
  private String metaKey;
  private String remote4;
  private String remote6;
  private io.blnk.auth.key.IpAllowList list;

  @Setup(Level.Trial)
  public void setUp() {
    auth = Fixtures.builder(KeyStore.inMemory(), Fixtures.hmac()).build();
    ledgers = auth.registry().find("ledgers");
    plainKey = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
    ipKey = create(CreateKeyRequest.builder().allowedIps(EIGHT_RANGES));
    metaKey = create(CreateKeyRequest.builder().metaData("{\"note\": \"" + "x".repeat(1000) + "\"}"));
    remote4 = "198.51.100.23";
    remote6 = "2001:db8:ffff:12::7";
    list = io.blnk.auth.key.IpAllowList.parse(EIGHT_RANGES);
    // Warm the caches: the first request verifies, every later one is a cache hit.
    Fixtures.requireGranted(auth.decide(plainKey, ledgers, "GET", remote4), "plain key");
    Fixtures.requireGranted(auth.decide(ipKey, ledgers, "GET", remote4), "IPv4 client inside the list");
    Fixtures.requireGranted(auth.decide(ipKey, ledgers, "GET", remote6), "IPv6 client inside the list");
    Fixtures.require(!auth.decide(ipKey, ledgers, "GET", "203.0.113.1").granted(), "outsider refused");
    Fixtures.requireGranted(auth.decide(metaKey, ledgers, "GET", remote4), "key with meta data");
  }

  private String create(CreateKeyRequest.Builder request) {
    return auth.keys()
        .create(
            BlnkPrincipal.master(),
            request
                .name("benchmark")
                .owner("bench-owner")
                .scopes(Fixtures.FIVE_SCOPES)
                .expiresAt(Instant.now().plus(Duration.ofDays(1)))
                .build())
        .orElseThrow()
        .plaintext()
        .reveal();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    auth.close();
  }

  /** Baseline: today's cached decision, a key with neither an allow list nor meta data. */
  @Benchmark
  public AuthResult plainCachedDecision() {
    return auth.decide(plainKey, ledgers, "GET", remote4);
  }

  /** A key with eight allowed ranges, an IPv4 client in the last IPv4 range. */
  @Benchmark
  public AuthResult ipAllowListIpv4Client() {
    return auth.decide(ipKey, ledgers, "GET", remote4);
  }

  /** The same key, an IPv6 client (with a :: to expand) in the last IPv6 range. */
  @Benchmark
  public AuthResult ipAllowListIpv6Client() {
    return auth.decide(ipKey, ledgers, "GET", remote6);
  }

  /** The allow-list check alone (its share of the decision above), IPv4 client. */
  @Benchmark
  public boolean permitsIpv4Alone() {
    return list.permits(remote4);
  }

  /** The allow-list check alone, IPv6 client. */
  @Benchmark
  public boolean permitsIpv6Alone() {
    return list.permits(remote6);
  }

  /** A key carrying 1 KiB of meta data. */
  @Benchmark
  public AuthResult metaDataKey() {
    return auth.decide(metaKey, ledgers, "GET", remote4);
  }
}
