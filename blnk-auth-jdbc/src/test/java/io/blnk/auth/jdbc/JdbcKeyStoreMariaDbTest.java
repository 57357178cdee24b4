package io.blnk.auth.jdbc;

import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.KeyStoreContract;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC store keeps the store contract on the machine's MariaDB, a fresh table per test. */
final class JdbcKeyStoreMariaDbTest extends KeyStoreContract {

  private static DataSource dataSource;
  private static String schema;
  private String table;

  @BeforeAll
  static void createSchema() {
    dataSource = TestDatabases.mariadb();
    schema = TestDatabases.createSchema(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      TestDatabases.dropSchema(dataSource, schema);
    }
  }

  @Override
  protected KeyStore newStore() {
    table = schema + "." + TestDatabases.uniqueName("k");
    return JdbcKeyStore.builder(dataSource).tableName(table).pollInterval(Duration.ofMillis(50)).build();
  }

  @Override
  protected Optional<KeyStore> secondStoreOnSameData(KeyStore first) {
    return Optional.of(JdbcKeyStore.builder(dataSource).tableName(table).pollInterval(Duration.ofMillis(50)).build());
  }

  @Override
  protected Duration feedTimeout() {
    return Duration.ofSeconds(10);
  }
}
