package io.blnk.auth.jdbc;

import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC usage store keeps the usage store contract on the machine's PostgreSQL. */
final class JdbcUsageStorePostgresTest extends JdbcUsageStoreContractBase {

  private static DataSource dataSource;
  private static String schema;

  @BeforeAll
  static void createSchema() {
    dataSource = TestDatabases.postgres("blnk-usage-contract-" + ProcessHandle.current().pid());
    schema = TestDatabases.createSchema(dataSource);
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      TestDatabases.dropSchema(dataSource, schema);
    }
  }

  @Override
  DataSource dataSource() {
    return dataSource;
  }

  @Override
  String tablePrefix() {
    return schema + ".";
  }
}
