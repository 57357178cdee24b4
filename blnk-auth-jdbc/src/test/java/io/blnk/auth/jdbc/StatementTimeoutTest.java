package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A lookup the database cannot answer (its table locked by another session) is cancelled by the
 * database after the statement timeout, so the store fails in bounded time and its connection comes
 * back, even without the guard's deadline in front of it.
 */
final class StatementTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void a_lookup_blocked_by_a_table_lock_is_cancelled_after_the_statement_timeout(String database)
      throws Exception {
    ReusingDataSource ds =
        new ReusingDataSource(
            TestDatabases.forName(database, TestDatabases.uniqueName("blnk-timeout")), 1);
    String schema = TestDatabases.createSchema(ds);
    String table = schema + ".keys";
    try (JdbcKeyStore store =
        JdbcKeyStore.builder(ds).tableName(table).statementTimeout(TIMEOUT).build()) {
      assertThat(store.findByLookupId("0123456789abcdef")).isEmpty();

      try (Connection locker = TestDatabases.forName(database, "blnk-locker").getConnection();
          Statement s = locker.createStatement()) {
        locker.setAutoCommit(false);
        s.execute(
            database.equals("postgresql")
                ? "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE"
                : "LOCK TABLES " + table + " WRITE");
        try {
          long start = System.nanoTime();
          CompletableFuture<?> lookup =
              CompletableFuture.supplyAsync(() -> store.findByLookupId("0123456789abcdef"));

          assertThatThrownBy(() -> lookup.get(20, TimeUnit.SECONDS))
              .as("the lookup fails, it does not wait for the lock")
              .isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(StoreUnavailableException.class);
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(100)).isLessThan(Duration.ofSeconds(10));
        } finally {
          if (database.equals("mariadb")) {
            s.execute("UNLOCK TABLES");
          }
          locker.rollback();
        }
      }

      // The cancelled statement left the store working: the next lookup answers at once.
      assertThat(store.findByLookupId("0123456789abcdef")).isEmpty();
    } finally {
      TestDatabases.dropSchema(ds, schema);
    }
  }
}
