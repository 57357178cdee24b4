package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyStoreContract.RecordingListener;
import io.blnk.auth.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The change sequence decides what the feed reports: changes are delivered as {@code keyChanged}
 * in order, and only a sequence that went backwards (a reset the feed cannot catch up from) is
 * reported as {@code changesMayHaveBeenMissed}, after which the feed follows the new sequence.
 */
@SuppressWarnings("try")
final class FeedSequenceTest {

  @Test
  void a_sequence_that_goes_backwards_is_reported_as_missed_changes_and_then_followed()
      throws Exception {
    DataSource h2 = TestDatabases.h2();
    try (JdbcKeyStore store = JdbcKeyStore.builder(h2).pollInterval(Duration.ofMillis(20)).build()) {
      StoredKey a = key();
      StoredKey b = key();
      store.insert(a);
      RecordingListener heard = new RecordingListener();
      try (AutoCloseable s = store.subscribe(heard)) {
        store.revoke(a.key().id(), Instant.now());
        assertThat(heard.awaitChange(Duration.ofSeconds(10))).contains(a.key().id());
        assertThat(heard.missedCount()).isZero();

        // As when the table is recreated (e.g. restored from an old dump): rows and counter reset.
        TestDatabases.execute(h2, "DELETE FROM blnk_api_keys");
        TestDatabases.execute(h2, "UPDATE blnk_api_keys_changes SET seq = 0 WHERE id = 1");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (heard.missedCount() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertThat(heard.missedCount()).as("the reset was reported").isEqualTo(1);

        store.insert(b);
        store.revoke(b.key().id(), Instant.now());
        assertThat(heard.awaitChange(Duration.ofSeconds(10)))
            .as("followed from the reset sequence on")
            .contains(b.key().id());
        assertThat(heard.missedCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void a_feed_that_could_not_connect_at_first_reports_missed_changes_once_it_does()
      throws Exception {
    // Until the feed's first connection, the node has no sequence to catch up from: a record read
    // meanwhile may have been revoked since, unseen. So the first catch-up after a failed start
    // drops cached records (changesMayHaveBeenMissed); a feed that connects at once does not.
    java.util.concurrent.atomic.AtomicBoolean feedBlocked = new java.util.concurrent.atomic.AtomicBoolean(true);
    DataSource h2 = TestDatabases.h2();
    DataSource ds =
        new ForwardingDataSource(h2) {
          @Override
          public java.sql.Connection getConnection() throws java.sql.SQLException {
            if (feedBlocked.get() && Thread.currentThread().getName().startsWith("blnk-auth-key-feed")) {
              throw new java.sql.SQLTransientConnectionException("feed connection refused (test)");
            }
            return super.getConnection();
          }
        };
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).pollInterval(Duration.ofMillis(20)).build()) {
      StoredKey a = key();
      store.insert(a);
      RecordingListener heard = new RecordingListener();
      try (AutoCloseable s = store.subscribe(heard)) { // returns after the failed first attempt
        store.revoke(a.key().id(), Instant.now()); // a change the feed has no sequence for
        assertThat(heard.missedCount()).isZero();

        feedBlocked.set(false);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (heard.missedCount() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertThat(heard.missedCount()).as("reported once connected").isEqualTo(1);
        StoredKey b = key();
        store.insert(b);
        store.revoke(b.key().id(), Instant.now());
        assertThat(heard.awaitChange(Duration.ofSeconds(10))).contains(b.key().id());
        assertThat(heard.missedCount()).as("and then followed, nothing more missed").isEqualTo(1);
      }
    }
  }

  private static StoredKey key() {
    String lookupId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    ApiKey k =
        new ApiKey(
            ApiKeyId.random(),
            "k",
            OwnerId.of("alice"),
            ScopeSet.of(Scope.parse("ledgers:read")),
            Optional.empty(),
            Instant.parse("2026-03-11T10:00:00Z"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_" + lookupId.substring(0, 8));
    return new StoredKey(k, lookupId, "$test$h");
  }
}
