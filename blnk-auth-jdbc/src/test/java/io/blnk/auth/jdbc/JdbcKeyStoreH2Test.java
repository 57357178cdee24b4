package io.blnk.auth.jdbc;

import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.KeyStoreContract;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/** The JDBC store keeps the store contract on H2, a fresh in-memory database per test. */
final class JdbcKeyStoreH2Test extends KeyStoreContract {

  private DataSource dataSource;

  @Override
  protected KeyStore newStore() {
    dataSource = TestDatabases.h2();
    return JdbcKeyStore.builder(dataSource).pollInterval(Duration.ofMillis(50)).build();
  }

  @Override
  protected Optional<KeyStore> secondStoreOnSameData(KeyStore first) {
    return Optional.of(
        JdbcKeyStore.builder(dataSource).pollInterval(Duration.ofMillis(50)).build());
  }
}
