package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyStoreContract.RecordingListener;
import io.blnk.auth.store.StoredKey;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Behind a transaction-pooling proxy (PgBouncer in transaction mode) {@code LISTEN} succeeds but no
 * notification ever arrives. Simulated here by a data source whose {@code LISTEN} statements do
 * nothing: the feed still runs in LISTEN mode, and its periodic catch-up from the change sequence
 * delivers a revocation within the catch-up interval.
 */
@SuppressWarnings("try")
final class ListenWithoutNotificationsTest {

  private static final Duration CATCH_UP = Duration.ofMillis(300);

  @Test
  void revocations_arrive_within_the_catch_up_interval_when_notifications_never_do()
      throws Exception {
    PGSimpleDataSource real = TestDatabases.postgres(TestDatabases.uniqueName("blnk-bouncer"));
    String schema = TestDatabases.createSchema(real);
    String table = schema + ".keys";
    DeafDataSource deaf = new DeafDataSource(real);
    try (JdbcKeyStore writer = JdbcKeyStore.builder(real).tableName(table).build();
        JdbcKeyStore reader =
            JdbcKeyStore.builder(deaf).tableName(table).catchUpInterval(CATCH_UP).build()) {
      StoredKey key = key();
      writer.insert(key);
      RecordingListener heard = new RecordingListener();
      try (AutoCloseable s = reader.subscribe(heard)) {
        assertThat(deaf.swallowedListens.get()).as("the feed ran in LISTEN mode").isPositive();

        long start = System.nanoTime();
        writer.revoke(key.key().id(), Instant.now());

        assertThat(heard.awaitChange(Duration.ofSeconds(10))).contains(key.key().id());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("within the catch-up interval, with room for a loaded machine")
            .isLessThan(CATCH_UP.plusSeconds(2));
        assertThat(heard.missedCount()).isZero();
      }
    } finally {
      TestDatabases.dropSchema(real, schema);
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

  /** Connections whose {@code LISTEN} does nothing, as through a transaction-pooling proxy. */
  private static final class DeafDataSource extends ForwardingDataSource {
    final AtomicInteger swallowedListens = new AtomicInteger();

    DeafDataSource(DataSource real) {
      super(real);
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = delegate().getConnection();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                Object result = invoke(c, method, args);
                if (method.getName().equals("createStatement") && result instanceof Statement s) {
                  return deaf(s);
                }
                return result;
              });
    }

    private Statement deaf(Statement s) {
      return (Statement)
          Proxy.newProxyInstance(
              Statement.class.getClassLoader(),
              new Class<?>[] {Statement.class},
              (proxy, method, args) -> {
                if (method.getName().equals("execute")
                    && args != null
                    && args[0] instanceof String sql
                    && sql.startsWith("LISTEN ")) {
                  swallowedListens.incrementAndGet();
                  return invoke(s, method, new Object[] {"SELECT 1"});
                }
                return invoke(s, method, args);
              });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
        throws Throwable {
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
