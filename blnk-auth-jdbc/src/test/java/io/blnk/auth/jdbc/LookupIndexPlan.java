package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a unit test: shows that a lookup among 1,000,000 stored keys uses the lookup-id index. Fills
 * a scratch table on the machine's PostgreSQL with {@code generate_series}, prints the {@code
 * EXPLAIN ANALYZE} of the store's exact lookup query, and drops the table. Runs only when asked:
 *
 * <pre>
 * mvn -pl blnk-auth-jdbc -am verify -Dtest=LookupIndexPlan -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dblnk.explain=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "blnk.explain", matches = "true")
final class LookupIndexPlan {

  private static final int ROWS = 1_000_000;

  @Test
  void a_lookup_among_a_million_keys_uses_the_lookup_id_index() throws Exception {
    DataSource ds = TestDatabases.postgres("blnk-explain");
    String schema = TestDatabases.createSchema(ds);
    TableName table = TableName.parse(schema + ".keys");
    try {
      JdbcKeyStore.migrate(ds, table.qualified());
      long started = System.nanoTime();
      TestDatabases.execute(
          ds,
          "INSERT INTO "
              + table
              + " (api_key_id, lookup_id, key_hash, key_prefix, name, owner_id, scopes,"
              + " expires_at, created_at)"
              + " SELECT 'api_key_' || gen_random_uuid(), substr(md5(i::text), 1, 16),"
              + " '$hmac-sha256$' || md5(i::text || 'h'), 'blnk_' || substr(md5(i::text), 1, 8),"
              + " 'key ' || i, 'owner-' || (i % 10000), 'ledgers:read transactions:write',"
              + " now() + interval '30 days', now() - i * interval '1 second'"
              + " FROM generate_series(1, "
              + ROWS
              + ") AS i");
      TestDatabases.execute(ds, "ANALYZE " + table);
      System.out.printf(
          "filled %,d rows in %d ms%n", ROWS, (System.nanoTime() - started) / 1_000_000);

      String lookup = new Statements(table).findByLookupId();
      String probe = md5Prefix(ds, 777_777);
      StringBuilder plan = new StringBuilder();
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, COSTS) " + lookup)) {
        ps.setString(1, probe);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
      System.out.println("query: " + lookup + "   -- with ? = '" + probe + "'");
      System.out.print(plan);
      assertThat(plan.toString()).contains("Index Scan").contains("keys_lookup_id_key");
      try (JdbcKeyStore store =
          JdbcKeyStore.builder(ds).tableName(table.qualified()).migrate(false).build()) {
        assertThat(store.findByLookupId(probe)).isPresent();
      }
    } finally {
      TestDatabases.dropSchema(ds, schema);
    }
  }

  private static String md5Prefix(DataSource ds, int i) throws Exception {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT substr(md5('" + i + "'), 1, 16)")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
