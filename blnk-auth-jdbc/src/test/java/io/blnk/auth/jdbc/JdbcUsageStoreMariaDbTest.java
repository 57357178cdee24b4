package io.blnk.auth.jdbc;

import javax.sql.DataSource;

/** The JDBC usage store keeps the usage store contract on the machine's MariaDB. */
final class JdbcUsageStoreMariaDbTest extends JdbcUsageStoreContractBase {

  @Override
  DataSource dataSource() {
    return TestDatabases.mariadb();
  }
}
