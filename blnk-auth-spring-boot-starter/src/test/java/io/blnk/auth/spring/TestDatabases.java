package io.blnk.auth.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, database {@code test}), shared with other builds:
 * tests keep their data in a schema of their own. A server that does not answer skips the test,
 * unless {@code blnk.requireDatabases=true}, which makes it fail.
 */
final class TestDatabases {

  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3";
  static final boolean REQUIRED = Boolean.getBoolean("blnk.requireDatabases");

  private TestDatabases() {}

  /** Creates a fresh schema; skips (or fails) when PostgreSQL does not answer. */
  static String createPostgresSchema() {
    String schema =
        ("blnk_sb_" + ProcessHandle.current().pid() + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      return schema;
    } catch (SQLException e) {
      String message = "PostgreSQL at 127.0.0.1:5432 did not answer (" + e.getMessage() + ")";
      if (REQUIRED) {
        throw new AssertionError(message + " and blnk.requireDatabases=true", e);
      }
      Assumptions.abort(message + "; skipping (set -Dblnk.requireDatabases=true to fail instead)");
      throw new AssertionError("unreachable");
    }
  }

  static void dropPostgresSchema(String schema) {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
