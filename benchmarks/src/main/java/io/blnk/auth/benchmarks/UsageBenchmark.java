package io.blnk.auth.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.blnk.auth.Admission;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.usage.CreditLease;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import io.blnk.auth.usage.UsageStore;
import java.sql.Connection;
import java.sql.Statement;
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
 * Issue 13's costs, each beside the plain cached decision measured in the same run:
 *
 * <ul>
 *   <li>{@link #plainCachedDecision}: a key without usage controls, decided from the cache (the
 *       baseline);
 *   <li>{@link #localLimitAndCredits}: the same decision plus {@link BlnkAuth#admit} for a key with
 *       one local rate limit and credits (leases of 100 from an in-memory balance, so the lease's
 *       own cost is amortised in); run with {@code -prof gc} for its allocation;
 *   <li>{@link #clusterLimitOnPostgres}: the decision plus admit in cluster mode (Bucket4j's
 *       select-for-update transaction on PostgreSQL at 127.0.0.1:5432, db {@code test});
 *   <li>{@link #creditLeaseOnPostgres}: one lease of 100 credits from the JDBC store (a read and
 *       one conditional update); divide by 100 for its cost per request.
 * </ul>
 *
 * The PostgreSQL measurements need the server; without it they fail at setup and the others run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UsageBenchmark {

  private BlnkAuth local;
  private String plainKey;
  private String meteredKey;
  private Optional<Resource> ledgers;

  @Setup(Level.Trial)
  public void setUp() {
    local = Fixtures.builder(KeyStore.inMemory(), Fixtures.hmac()).build();
    ledgers = local.registry().find("ledgers");
    plainKey = Fixtures.createKey(local, Fixtures.FIVE_SCOPES);
    meteredKey =
        create(
            local,
            new UsagePolicy(
                List.of(new RateLimit("default", RateLimit.MAX_LIMIT, Duration.ofSeconds(1))),
                Optional.of(Credits.of(Credits.MAX_CREDITS))));
    Fixtures.requireGranted(local.decide(plainKey, ledgers, "GET", ""), "plain warm-up");
    Fixtures.requireGranted(local.decide(meteredKey, ledgers, "GET", ""), "metered warm-up");
  }

  static String create(BlnkAuth auth, UsagePolicy usage) {
    return auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("benchmark")
                .owner("bench-owner")
                .scopes(Fixtures.FIVE_SCOPES)
                .expiresAt(Instant.now().plus(Duration.ofDays(1)))
                .usage(usage)
                .build())
        .orElseThrow()
        .plaintext()
        .reveal();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    local.close();
  }

  /** Baseline: the cached decision of a key without usage controls. */
  @Benchmark
  public AuthResult plainCachedDecision() {
    return local.decide(plainKey, ledgers, "GET", "");
  }

  /** The cached decision plus one local limit and credits. */
  @Benchmark
  public Admission localLimitAndCredits() {
    AuthResult r = local.decide(meteredKey, ledgers, "GET", "");
    return local.admit(((AuthResult.Granted) r).principal(), 1);
  }

  /** PostgreSQL: a cluster-mode node and a JDBC usage store, each on its own schema. */
  @State(Scope.Benchmark)
  public static class Postgres {
    HikariDataSource pool;
    String schema;
    BlnkAuth cluster;
    String clusterKey;
    UsageStore usage;
    Optional<Resource> ledgers;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
      config.setUsername("postgres");
      config.setMaximumPoolSize(4);
      pool = new HikariDataSource(config);
      schema = "blnk_bench_usage_" + ProcessHandle.current().pid();
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      }
      JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(schema + ".keys").build();
      cluster =
          Fixtures.builder(store, Fixtures.hmac())
              .usage(UsageSettings.builder().mode(UsageSettings.Mode.CLUSTER).build())
              .build();
      ledgers = cluster.registry().find("ledgers");
      clusterKey =
          create(
              cluster,
              new UsagePolicy(
                  List.of(new RateLimit("default", RateLimit.MAX_LIMIT, Duration.ofSeconds(1))),
                  Optional.empty()));
      usage = store.usageStore().orElseThrow();
      usage.defineCredits("bench-lease", Credits.of(Credits.MAX_CREDITS), Instant.now());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      cluster.close();
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
      pool.close();
    }
  }

  /** The cached decision plus one cluster-mode limit: one transaction on PostgreSQL. */
  @Benchmark
  public Admission clusterLimitOnPostgres(Postgres pg) {
    AuthResult r = pg.cluster.decide(pg.clusterKey, pg.ledgers, "GET", "");
    return pg.cluster.admit(((AuthResult.Granted) r).principal(), 1);
  }

  /** One lease of 100 credits on PostgreSQL: its cost per request is this divided by 100. */
  @Benchmark
  public CreditLease creditLeaseOnPostgres(Postgres pg) {
    return pg.usage.lease("bench-lease", 100, Instant.now());
  }
}
