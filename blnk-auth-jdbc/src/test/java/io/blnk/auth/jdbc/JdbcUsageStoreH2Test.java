package io.blnk.auth.jdbc;

import javax.sql.DataSource;

/** The JDBC usage store keeps the usage store contract on H2. */
final class JdbcUsageStoreH2Test extends JdbcUsageStoreContractBase {

  private final DataSource dataSource = TestDatabases.h2();

  @Override
  DataSource dataSource() {
    return dataSource;
  }

  @Override
  String tablePrefix() {
    return "";
  }
}
