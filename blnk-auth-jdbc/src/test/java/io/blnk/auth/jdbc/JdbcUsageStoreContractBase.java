package io.blnk.auth.jdbc;

import io.blnk.auth.usage.UsageStore;
import io.blnk.auth.usage.UsageStoreContract;
import javax.sql.DataSource;

/**
 * The JDBC usage store under the usage store contract: fresh tables per test, in a schema of their
 * own on a database server (dropped afterwards), in a fresh database on H2.
 */
abstract class JdbcUsageStoreContractBase extends UsageStoreContract {

  private DataSource dataSource;
  private String schema; // null on H2
  private JdbcKeyStore keys;

  /** The database, ready for tables; skips the test if its server does not answer. */
  abstract DataSource dataSource();

  @Override
  protected UsageStore newStore() {
    dataSource = dataSource();
    String prefix = "";
    if (Dialect.detect(dataSource) != Dialect.H2) {
      schema = TestDatabases.createSchema(dataSource);
      prefix = schema + ".";
    }
    keys =
        JdbcKeyStore.builder(dataSource)
            .tableName(prefix + TestDatabases.uniqueName("u"))
            .build();
    return keys.usageStore().orElseThrow();
  }

  @Override
  protected void closeStore() {
    if (keys != null) {
      keys.close();
    }
    if (schema != null) {
      TestDatabases.dropSchema(dataSource, schema);
    }
  }
}
