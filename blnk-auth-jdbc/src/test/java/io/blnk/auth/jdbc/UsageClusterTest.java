package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthListener;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.usage.CreditLease;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import io.blnk.auth.usage.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13 on the real databases: three {@link BlnkAuth} nodes, each with its own store and
 * connections, on one key table. Credits are exact across the nodes; a node that dies strands at
 * most its lease; a refill is applied once; cluster rate limits are exact across the nodes, local
 * ones per node. Time is a hand-moved clock (Bucket4j's clock follows it), so nothing sleeps.
 */
final class UsageClusterTest {

  private static final int THREADS_PER_NODE = 16;
  private static final long MAX_LEASE = 100;

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final List<BlnkAuth> nodes = new ArrayList<>();
  private DataSource base;
  private String schema;
  private String table;
  private Nodes.ManualClock clock;

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    if (schema != null) {
      TestDatabases.dropSchema(base, schema);
    }
  }

  /** Three nodes on one fresh table of {@code database}, with {@code settings}. */
  private void startNodes(String database, UsageSettings.Builder settings, Instant start) {
    base = TestDatabases.forName(database, TestDatabases.uniqueName("blnk-usage"));
    schema = database.equals("h2") ? null : TestDatabases.createSchema(base);
    table = (schema == null ? "" : schema + ".") + TestDatabases.uniqueName("k");
    clock = new Nodes.ManualClock(start);
    UsageSettings usage = settings.maxLease(MAX_LEASE).build(); // each option is set once
    for (int i = 0; i < 3; i++) {
      ReusingDataSource pool = new ReusingDataSource(base, THREADS_PER_NODE + 4);
      JdbcKeyStore store = JdbcKeyStore.builder(pool).tableName(table).build();
      BlnkAuth node =
          Nodes.builder(store)
              .listener(AuthListener.none())
              .clock(clock)
              .usage(usage)
              .build();
      nodes.add(node);
      cleanup.add(0, pool);
      cleanup.add(0, store);
    }
  }

  private CreatedKey createKey(UsagePolicy usage) {
    return nodes.get(0)
        .keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("metered")
                .owner("acme")
                .scopes("ledgers:read")
                .expiresAt(clock.instant().plus(Duration.ofDays(400)))
                .usage(usage)
                .build()).orElseThrow();
  }

  /** One request through the whole decision and the usage gate: whether it was admitted. */
  private static boolean request(BlnkAuth node, String key) {
    Optional<Resource> ledgers = node.registry().find("ledgers");
    AuthResult r = node.decide(key, ledgers, "GET", "");
    if (!(r instanceof AuthResult.Granted granted)) {
      throw new AssertionError("not granted: " + r);
    }
    return node.admit(granted.principal(), 1).admitted();
  }

  /**
   * Every node's threads request until their node refuses (or {@code stop} says so for a node);
   * returns the grants per node.
   */
  private long[] hammer(String key, List<BlnkAuth> on, List<AtomicBoolean> stop) throws Exception {
    long[] perNode = new long[on.size()];
    AtomicLong[] counts = new AtomicLong[on.size()];
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int n = 0; n < on.size(); n++) {
      BlnkAuth node = on.get(n);
      AtomicLong count = counts[n] = new AtomicLong();
      AtomicBoolean halt = stop.get(n);
      for (int t = 0; t < THREADS_PER_NODE; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    go.await();
                    while (!halt.get() && request(node, key)) {
                      count.incrementAndGet();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(120_000);
    }
    for (int n = 0; n < on.size(); n++) {
      perNode[n] = counts[n].get();
    }
    return perNode;
  }

  private static List<AtomicBoolean> noStops(int n) {
    List<AtomicBoolean> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new AtomicBoolean());
    }
    return out;
  }

  private long storeBalance(CreatedKey key) {
    return nodes.get(0).keys()
        .get(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow()
        .usage().credits().orElseThrow().remaining();
  }

  private static long sum(long[] xs) {
    long s = 0;
    for (long x : xs) {
      s += x;
    }
    return s;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void threeNodesHammeringGrantExactlyTheCredits(String database) throws Exception {
    startNodes(database, UsageSettings.builder(), Instant.parse("2026-03-11T10:00:00Z"));
    CreatedKey key = createKey(new UsagePolicy(List.of(), Optional.of(Credits.of(10_000))));

    // Each node serves one request first, so that each holds a lease when the hammering starts
    // (under load a node's threads may otherwise start only after the others drained the balance).
    long first = 0;
    for (BlnkAuth node : nodes) {
      first += request(node, key.plaintext().reveal()) ? 1 : 0;
    }
    long[] granted = hammer(key.plaintext().reveal(), nodes, noStops(3));

    assertThat(first).isEqualTo(3);
    assertThat(first + sum(granted)).isEqualTo(10_000);
    assertThat(storeBalance(key)).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void aNodeKilledMidRunStrandsAtMostItsLease(String database) throws Exception {
    startNodes(database, UsageSettings.builder(), Instant.parse("2026-03-11T10:00:00Z"));
    CreatedKey key = createKey(new UsagePolicy(List.of(), Optional.of(Credits.of(10_000))));
    String plaintext = key.plaintext().reveal();
    BlnkAuth doomed = nodes.get(2);
    // The doomed node's threads stop, as in a crash, once the cluster has granted half the
    // credits: its lease is then held and never given back (the node is not closed).
    AtomicLong total0 = new AtomicLong();
    AtomicLong[] counts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    // Each node serves one request first, as above: the doomed node's threads are the last to
    // wake, and under load the others could otherwise reach half the credits before it starts.
    for (int n = 0; n < 3; n++) {
      assertThat(request(nodes.get(n), plaintext)).isTrue();
      counts[n].incrementAndGet();
      total0.incrementAndGet();
    }
    List<Thread> threads = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    for (int n = 0; n < 3; n++) {
      BlnkAuth node = nodes.get(n);
      AtomicLong count = counts[n];
      boolean isDoomed = n == 2;
      for (int t = 0; t < THREADS_PER_NODE; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    go.await();
                    while (!(isDoomed && total0.get() >= 5_000) && request(node, plaintext)) {
                      count.incrementAndGet();
                      total0.incrementAndGet();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(120_000);
    }
    long[] granted = {counts[0].get(), counts[1].get(), counts[2].get()};
    long total = sum(granted);
    long stranded = 10_000 - total;

    assertThat(total).isLessThanOrEqualTo(10_000);
    assertThat(granted[2]).as("the doomed node took part before it died").isPositive();
    assertThat(stranded).as("stranded by the dead node").isBetween(0L, MAX_LEASE);
    assertThat(storeBalance(key)).isZero();
    // What was stranded is exactly what the dead node still held: had it shut down, it would
    // have given it back.
    doomed.close();
    assertThat(storeBalance(key)).isEqualTo(stranded);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void aBalanceRedefinedWithinOneMillisecondStillVoidsTheLeasesOfTheOldOne(String database)
      throws Exception {
    startNodes(database, UsageSettings.builder(), Instant.parse("2026-03-11T10:00:00Z"));
    UsageStore store = nodes.get(0).settings().store().usageStore().orElseThrow();
    Instant now = clock.instant();
    store.defineCredits("u-same-ms", Credits.of(100), now);
    CreditLease old = store.lease("u-same-ms", 10, now);

    store.defineCredits("u-same-ms", Credits.of(4), now); // the same millisecond
    store.giveBack("u-same-ms", old.granted(), old.periodStart()); // a node returning its old lease

    assertThat(store.remainingCredits("u-same-ms", now)).hasValue(4);
    CreditLease fresh = store.lease("u-same-ms", 10, now);
    assertThat(fresh.granted()).isEqualTo(4);
    assertThat(fresh.periodStart()).isGreaterThan(old.periodStart());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void aRefillAtTheBoundaryIsAppliedExactlyOnce(String database) throws Exception {
    startNodes(database, UsageSettings.builder(), Instant.parse("2026-03-31T23:59:58Z"));
    CreatedKey key = createKey(new UsagePolicy(List.of(), Optional.of(Credits.of(500, Refill.monthly(300, 1)))));
    String plaintext = key.plaintext().reveal();

    long before = sum(hammer(plaintext, nodes, noStops(3)));
    clock.advance(Duration.ofSeconds(3)); // 2026-04-01T00:00:01Z: every node sees the boundary
    long after = sum(hammer(plaintext, nodes, noStops(3)));
    clock.advance(Duration.ofDays(1)); // no boundary on 2 April
    long nextDay = sum(hammer(plaintext, nodes, noStops(3)));

    assertThat(before).isEqualTo(500);
    assertThat(after).as("one refill to 300, not one per node").isEqualTo(300);
    assertThat(nextDay).isZero();
  }

  /**
   * Offers 3 × the limit's rate for 10 s of the hand-moved clock, in 10 ms steps, one request per
   * node per step, the three nodes concurrently. A token bucket of {@code limit} per 1 s admits
   * its burst ({@code limit}) plus 10 s of refill ({@code 10 × limit}).
   */
  private long[] offerTripleForTenSeconds(String key, long limit) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    long[] admitted = new long[3];
    try {
      long offeredPerStepPerNode = 3 * limit / 100 / 3; // 300/s across 3 nodes → 1 per node per 10 ms
      for (int step = 0; step < 1_000; step++) {
        List<Callable<Long>> work = new ArrayList<>();
        for (BlnkAuth node : nodes) {
          work.add(
              () -> {
                long n = 0;
                for (long i = 0; i < offeredPerStepPerNode; i++) {
                  n += request(node, key) ? 1 : 0;
                }
                return n;
              });
        }
        var results = pool.invokeAll(work);
        for (int n = 0; n < 3; n++) {
          admitted[n] += results.get(n).get();
        }
        clock.advance(Duration.ofMillis(10));
      }
    } finally {
      pool.shutdownNow();
    }
    return admitted;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void aClusterLimitAdmitsTheLimitAcrossThreeNodesWithinOnePercent(String database)
      throws Exception {
    startNodes(database, UsageSettings.builder().mode(UsageSettings.Mode.CLUSTER), Instant.parse("2026-03-11T10:00:00Z"));
    CreatedKey key = createKey(new UsagePolicy(List.of(new RateLimit("default", 100, Duration.ofSeconds(1))), Optional.empty()));

    long[] admitted = offerTripleForTenSeconds(key.plaintext().reveal(), 100);

    long expected = 100 + 10 * 100; // burst + refill over the window
    assertThat((double) sum(admitted)).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql"})
  void aLocalLimitAdmitsTheLimitPerNodeWithinTenPercent(String database) throws Exception {
    startNodes(database, UsageSettings.builder(), Instant.parse("2026-03-11T10:00:00Z"));
    // Each node is offered 3 × the rate (so that a node on its own is over its limit).
    CreatedKey key = createKey(new UsagePolicy(List.of(new RateLimit("default", 33, Duration.ofSeconds(1))), Optional.empty()));

    long[] admitted = offerTripleForTenSeconds(key.plaintext().reveal(), 100);

    long expected = 33 + 10 * 33;
    for (long perNode : admitted) {
      assertThat((double) perNode).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(10));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void aClusterRefusalSaysWhichLimitAndWhenToRetry(String database) throws Exception {
    startNodes(database, UsageSettings.builder().mode(UsageSettings.Mode.CLUSTER), Instant.parse("2026-03-11T10:00:00Z"));
    CreatedKey key = createKey(new UsagePolicy(List.of(new RateLimit("default", 2, Duration.ofSeconds(10))), Optional.empty()));
    String plaintext = key.plaintext().reveal();
    assertThat(request(nodes.get(0), plaintext)).isTrue();
    assertThat(request(nodes.get(1), plaintext)).isTrue();

    AuthResult.Granted g = (AuthResult.Granted) nodes.get(2).decide(plaintext, nodes.get(2).registry().find("ledgers"), "GET", "");
    var refused = nodes.get(2).admit(g.principal(), 1);

    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.GEN_RATE_LIMITED);
    assertThat(refused.denial().orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(refused.limits()).singleElement().satisfies(l -> {
      assertThat(l.remaining()).isZero();
      assertThat(l.resetSeconds()).isEqualTo(10);
    });
  }
}
