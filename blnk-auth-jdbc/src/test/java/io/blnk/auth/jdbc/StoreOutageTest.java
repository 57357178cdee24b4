package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthListener;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.CircuitState;
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
 * The store going away while requests arrive: with a data source that hangs (H2 behind a blocking
 * gate) and with the real PostgreSQL made unreachable (a TCP proxy in front of it, blackholed),
 * the master key and cached keys keep answering within 50 ms, 200 uncached presentations are all
 * refused with 503 {@code AUTH_STORE_UNAVAILABLE} and a Retry-After, none waiting longer than the
 * store timeout, and the node recovers without a restart once the store is back. The circuit's
 * time is a hand-moved clock; only the deadline is real time.
 */
final class StoreOutageTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2); // the default
  private static final Duration RETRY_AFTER = Duration.ofSeconds(3);
  private static final int UNCACHED_REQUESTS = 200;

  @Test
  void a_hanging_data_source_costs_uncached_keys_one_timeout_and_nothing_else() throws Exception {
    Outages.hangingH2(StoreOutageTest::runOutage);
  }

  @Test
  void an_unreachable_postgresql_costs_uncached_keys_one_timeout_and_nothing_else()
      throws Exception {
    Outages.unreachablePostgresql("blnk-outage", StoreOutageTest::runOutage);
  }

  private static void runOutage(JdbcKeyStore store, Outages.Outage outage) throws Exception {
    Nodes.ManualClock clock = new Nodes.ManualClock(Instant.now());
    try (BlnkAuth node =
        Nodes.builder(store)
            .listener(AuthListener.none())
            .clock(clock)
            .storeTimeouts(TIMEOUT, RETRY_AFTER, 16)
            .build()) {
      Optional<Resource> ledgers = node.registry().find("ledgers");
      String cached = Nodes.createKey(node, "acme", clock.instant()).plaintext().reveal();
      assertThat(node.decide(cached, ledgers, "GET", "").granted()).isTrue();
      List<String> uncached = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        CreatedKey k = Nodes.createKey(node, "acme", clock.instant());
        uncached.add(k.plaintext().reveal());
      }

      outage.start();

      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<Duration>> refusals = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < UNCACHED_REQUESTS; i++) {
          String key = uncached.get(i % uncached.size());
          refusals.add(
              pool.submit(
                  () -> {
                    go.await();
                    long t = System.nanoTime();
                    AuthResult r = node.decide(key, ledgers, "GET", "");
                    Duration took = Duration.ofNanos(System.nanoTime() - t);
                    assertThat(r).isInstanceOf(AuthResult.Denied.class);
                    AuthResult.Denied d = (AuthResult.Denied) r;
                    assertThat(d.code()).isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
                    assertThat(d.retryAfter()).isEqualTo(RETRY_AFTER);
                    return took;
                  }));
        }
        go.countDown();
        // Meanwhile the master key and the cached key answer at once.
        for (int i = 0; i < 50; i++) {
          for (String key : new String[] {Nodes.MASTER_KEY, cached}) {
            long t = System.nanoTime();
            assertThat(node.decide(key, ledgers, "GET", "").granted()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(50));
          }
        }
        Duration slowest = Duration.ZERO;
        for (Future<Duration> f : refusals) {
          Duration took = f.get(60, TimeUnit.SECONDS);
          slowest = took.compareTo(slowest) > 0 ? took : slowest;
        }
        // The first few wait out the deadline (plus scheduling); none waits for the database.
        assertThat(slowest).as("slowest refusal").isLessThan(TIMEOUT.plusMillis(500));
        assertThat(node.storeCircuitState()).isEqualTo(CircuitState.OPEN);
      } finally {
        pool.shutdownNow();
      }

      outage.end();
      clock.advance(RETRY_AFTER);

      assertThat(node.decide(uncached.get(0), ledgers, "GET", "").granted())
          .as("recovered without a restart")
          .isTrue();
      assertThat(node.storeCircuitState()).isEqualTo(CircuitState.CLOSED);
      for (String key : uncached) {
        assertThat(node.decide(key, ledgers, "GET", "").granted()).isTrue();
      }
    }
  }
}
