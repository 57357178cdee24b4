package io.blnk.auth.jdbc;

import javax.sql.DataSource;

/** The JDBC usage store keeps the usage store contract on the machine's PostgreSQL. */
final class JdbcUsageStorePostgresTest extends JdbcUsageStoreContractBase {

  @Override
  DataSource dataSource() {
    return TestDatabases.postgres("blnk-usage-contract");
  }
}
