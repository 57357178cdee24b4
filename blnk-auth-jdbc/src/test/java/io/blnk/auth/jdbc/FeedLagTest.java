package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyChangeListener;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcKeyStore#feedLag()}: absent without a feed, small while the feed catches up, growing
 * while the database is unreachable, small again once it is back, absent once closed.
 */
final class FeedLagTest {

  private static final KeyChangeListener NOBODY =
      new KeyChangeListener() {
        @Override
        public void keyChanged(ApiKeyId id) {}

        @Override
        public void changesMayHaveBeenMissed() {}
      };

  @Test
  void theLagFollowsTheFeedsLastCatchUp() throws Exception {
    DataSource h2 = TestDatabases.h2();
    FlakyDataSource flaky = new FlakyDataSource(h2);
    JdbcKeyStore store = JdbcKeyStore.builder(flaky).pollInterval(Duration.ofMillis(20)).build();
    try {
      assertThat(store.feedLag()).as("no feed before a subscription").isEmpty();
      try (AutoCloseable subscription = store.subscribe(NOBODY)) {
        waitUntil(() -> lagMillis(store) < 200);

        flaky.breakDown();
        waitUntil(() -> flaky.refusedConnections() > 0);
        waitUntil(() -> lagMillis(store) > 500); // nothing caught up while the database is away

        flaky.heal();
        waitUntil(() -> lagMillis(store) < 200);
      }
    } finally {
      store.close();
    }
    assertThat(store.feedLag()).as("no feed once closed").isEmpty();
  }

  private static long lagMillis(JdbcKeyStore store) {
    return store.feedLag().orElseThrow().toMillis();
  }

  /** Waits for a condition on the feed's thread (at most 20 s, for a loaded machine). */
  private static void waitUntil(BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
