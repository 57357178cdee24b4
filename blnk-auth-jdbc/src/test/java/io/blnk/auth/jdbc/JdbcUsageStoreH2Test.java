package io.blnk.auth.jdbc;

import javax.sql.DataSource;

/** The JDBC usage store keeps the usage store contract on H2. */
final class JdbcUsageStoreH2Test extends JdbcUsageStoreContractBase {

  @Override
  DataSource dataSource() {
    return TestDatabases.h2();
  }
}
