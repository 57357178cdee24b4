package io.blnk.auth.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Private databases on the machine's shared PostgreSQL (127.0.0.1:5432, user postgres): each test
 * class creates one of its own and drops it after, never touching the server's settings. A server
 * that does not answer skips the test unless {@code -Dblnk.requireDatabases=true}.
 */
final class TestPostgres {

  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3";

  private TestPostgres() {}

  /** Creates a database of its own; returns its name. */
  static String createDatabase(String prefix) {
    String name =
        (prefix + "_" + ProcessHandle.current().pid() + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String message = "PostgreSQL at 127.0.0.1:5432 did not answer (" + e.getMessage() + ")";
      if (Boolean.getBoolean("blnk.requireDatabases")) {
        throw new AssertionError(message, e);
      }
      Assumptions.abort(message + "; skipping");
    }
    return name;
  }

  /** The JDBC URL of a database made by {@link #createDatabase}. */
  static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
  }

  /** Drops a database made by {@link #createDatabase}, closing its leftover connections. */
  static void dropDatabase(String database) {
    if (database == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(ADMIN_URL);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop " + database + ": " + e.getMessage(), e);
    }
  }

  static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
