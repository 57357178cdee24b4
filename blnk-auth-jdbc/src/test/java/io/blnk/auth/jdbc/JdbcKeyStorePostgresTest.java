package io.blnk.auth.jdbc;

import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.KeyStoreContract;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC store keeps the store contract on the machine's PostgreSQL, a fresh table per test. */
final class JdbcKeyStorePostgresTest extends KeyStoreContract {

  private static ReusingDataSource dataSource;
  private static String schema;
  private String table;

  @BeforeAll
  static void createSchema() {
    // Reused connections, as from a host's pool: also checks the store leaves them clean.
    dataSource =
        new ReusingDataSource(
            TestDatabases.postgres("blnk-contract-" + ProcessHandle.current().pid()), 8);
    schema = TestDatabases.createSchema(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      TestDatabases.dropSchema(dataSource, schema);
    }
    if (dataSource != null) {
      dataSource.close();
    }
  }

  @Override
  protected KeyStore newStore() {
    table = schema + "." + TestDatabases.uniqueName("k");
    return JdbcKeyStore.builder(dataSource).tableName(table).build();
  }

  @Override
  protected Optional<KeyStore> secondStoreOnSameData(KeyStore first) {
    return Optional.of(JdbcKeyStore.builder(dataSource).tableName(table).build());
  }

  @Override
  protected Duration feedTimeout() {
    return Duration.ofSeconds(10);
  }
}
