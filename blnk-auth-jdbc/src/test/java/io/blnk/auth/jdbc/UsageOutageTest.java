package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthListener;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cluster rate limits while the database is away: each check is a database round trip, so it
 * runs under the key store's deadline and circuit. With a data source that hangs (H2 behind a
 * gate) and with the real PostgreSQL blackholed behind a TCP proxy, 200 checks of a cached,
 * cluster-limited key are refused with {@link StoreUnavailableException} (503 {@code
 * AUTH_STORE_UNAVAILABLE} over HTTP) and a Retry-After, none waiting longer than the store
 * timeout; the master key and a cached key without limits keep answering within 50 ms; the node
 * recovers without a restart.
 */
final class UsageOutageTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(3);
  private static final int CHECKS = 200;

  @Test
  void a_hanging_data_source_costs_cluster_limited_keys_one_timeout_and_nothing_else()
      throws Exception {
    Outages.hangingH2(UsageOutageTest::runOutage);
  }

  @Test
  void an_unreachable_postgresql_costs_cluster_limited_keys_one_timeout_and_nothing_else()
      throws Exception {
    Outages.unreachablePostgresql("blnk-uoutage", UsageOutageTest::runOutage);
  }

  private static void runOutage(JdbcKeyStore store, Outages.Outage outage) throws Exception {
    Nodes.ManualClock clock = new Nodes.ManualClock(Instant.now());
    try (BlnkAuth node =
        Nodes.builder(store)
            .listener(AuthListener.none())
            .clock(clock)
            .storeTimeouts(TIMEOUT, RETRY_AFTER, 16)
            .usage(UsageSettings.builder().mode(UsageSettings.Mode.CLUSTER).build())
            .build()) {
      Optional<Resource> ledgers = node.registry().find("ledgers");
      BlnkPrincipal limited = principal(node, limitedKey(node, clock.instant()), ledgers);
      BlnkPrincipal unlimited =
          principal(node, Nodes.createKey(node, "acme", clock.instant()).plaintext().reveal(), ledgers);
      BlnkPrincipal master = principal(node, Nodes.MASTER_KEY, ledgers);
      assertThat(node.admit(limited, 1).admitted()).isTrue();

      outage.start();

      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Duration>> refusals = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < CHECKS; i++) {
          refusals.add(
              pool.submit(
                  () -> {
                    go.await();
                    long t = System.nanoTime();
                    assertThatThrownBy(() -> node.admit(limited, 1))
                        .isInstanceOfSatisfying(
                            StoreUnavailableException.class,
                            e -> assertThat(e.retryAfter()).hasValue(RETRY_AFTER));
                    return Duration.ofNanos(System.nanoTime() - t);
                  }));
        }
        go.countDown();
        for (int i = 0; i < 50; i++) {
          for (BlnkPrincipal p : List.of(master, unlimited)) {
            long t = System.nanoTime();
            assertThat(node.admit(p, 1).admitted()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(50));
          }
        }
        Duration slowest = Duration.ZERO;
        int quick = 0;
        for (Future<Duration> f : refusals) {
          Duration took = f.get(60, TimeUnit.SECONDS);
          slowest = took.compareTo(slowest) > 0 ? took : slowest;
          quick += took.compareTo(Duration.ofMillis(50)) < 0 ? 1 : 0;
        }
        // The first (at most one per worker) wait out the deadline; the rest meet the open circuit.
        assertThat(slowest).as("slowest refusal").isLessThan(TIMEOUT.plusMillis(500));
        assertThat(quick).as("refused at once").isGreaterThanOrEqualTo(CHECKS - 16);
        assertThat(node.storeCircuitState()).isEqualTo(CircuitState.OPEN);
      } finally {
        pool.shutdownNow();
      }

      outage.end();
      clock.advance(RETRY_AFTER);

      assertThat(node.admit(limited, 1).admitted()).as("recovered without a restart").isTrue();
      assertThat(node.storeCircuitState()).isEqualTo(CircuitState.CLOSED);
    }
  }

  private static String limitedKey(BlnkAuth node, Instant now) {
    return node.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("cluster limited")
                .owner("acme")
                .scopes("ledgers:read")
                .expiresAt(now.plus(Duration.ofDays(1)))
                .usage(
                    new UsagePolicy(
                        List.of(new RateLimit("default", 1_000_000, Duration.ofSeconds(1))),
                        Optional.empty()))
                .build())
        .orElseThrow()
        .plaintext()
        .reveal();
  }

  private static BlnkPrincipal principal(BlnkAuth node, String key, Optional<Resource> ledgers) {
    AuthResult r = node.decide(key, ledgers, "GET", "");
    assertThat(r).isInstanceOf(AuthResult.Granted.class);
    return ((AuthResult.Granted) r).principal();
  }
}
