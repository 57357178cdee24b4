package io.blnk.auth.jdbc;

import io.blnk.auth.usage.UsageStore;
import io.blnk.auth.usage.UsageStoreContract;
import javax.sql.DataSource;

/** The JDBC usage store under the usage store contract: a fresh set of tables per test. */
abstract class JdbcUsageStoreContractBase extends UsageStoreContract {

  private JdbcKeyStore keys;

  /** The database, ready for tables. */
  abstract DataSource dataSource();

  /** What goes before a table name: a schema and a dot, or nothing. */
  abstract String tablePrefix();

  @Override
  protected UsageStore newStore() {
    keys =
        JdbcKeyStore.builder(dataSource())
            .tableName(tablePrefix() + TestDatabases.uniqueName("u"))
            .build();
    return keys.usageStore().orElseThrow();
  }

  @Override
  protected void closeStore() {
    keys.close();
  }
}
