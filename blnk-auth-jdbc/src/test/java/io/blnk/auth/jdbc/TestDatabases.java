package io.blnk.auth.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases tests run on: a fresh in-memory H2 per call, and the machine's PostgreSQL
 * (127.0.0.1:5432, database {@code test}) and MariaDB (127.0.0.1:3306, database {@code test}).
 *
 * <p>A server that does not answer skips the test (a JUnit assumption), unless the system property
 * {@code blnk.requireDatabases=true}, which makes it fail instead. Tests isolate their data in a
 * schema of their own ({@link #createSchema}), since other builds share the servers.
 */
@SuppressWarnings("try") // resources held open by try-with-resources, unreferenced
final class TestDatabases {

  static final boolean REQUIRED = Boolean.getBoolean("blnk.requireDatabases");
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private TestDatabases() {}

  /** A fresh, empty in-memory H2 database that lives until the JVM exits. */
  static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  /**
   * The machine's PostgreSQL, its connections named {@code applicationName} (so a test can find
   * and kill exactly its own).
   */
  static PGSimpleDataSource postgres(String applicationName) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {5432});
    ds.setDatabaseName("test");
    ds.setUser("postgres");
    ds.setApplicationName(applicationName);
    ds.setConnectTimeout(3);
    return requireAnswer(ds, "PostgreSQL at 127.0.0.1:5432");
  }

  /** The machine's MariaDB. */
  static MariaDbDataSource mariadb() {
    try {
      MariaDbDataSource ds =
          new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=3000");
      ds.setUser("root");
      ds.setPassword("");
      return requireAnswer(ds, "MariaDB at 127.0.0.1:3306");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The data source for a dialect name: {@code h2}, {@code postgresql} or {@code mariadb}. */
  static DataSource forName(String name, String applicationName) {
    switch (name) {
      case "h2":
        return h2();
      case "postgresql":
        return postgres(applicationName);
      case "mariadb":
        return mariadb();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /** A unique name, lowercase, for schemas, tables and application names. */
  static String uniqueName(String prefix) {
    return (prefix
            + "_"
            + Long.toString(ProcessHandle.current().pid(), 36)
            + "_"
            + SEQUENCE.incrementAndGet()
            + "_"
            + UUID.randomUUID().toString().substring(0, 6))
        .toLowerCase(Locale.ROOT);
  }

  /** Creates a schema (a database, on MariaDB) of its own for a test class; returns its name. */
  static String createSchema(DataSource ds) {
    String schema = uniqueName("blnk_t");
    String ddl =
        Dialect.detect(ds) == Dialect.MARIADB
            ? "CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            : "CREATE SCHEMA " + schema;
    execute(ds, ddl);
    return schema;
  }

  /** Drops a schema made by {@link #createSchema} with everything in it. */
  static void dropSchema(DataSource ds, String schema) {
    String ddl =
        Dialect.detect(ds) == Dialect.MARIADB
            ? "DROP DATABASE IF EXISTS " + schema
            : "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
    execute(ds, ddl);
  }

  static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static <T extends DataSource> T requireAnswer(T ds, String what) {
    try (Connection c = ds.getConnection()) {
      return ds;
    } catch (SQLException e) {
      String message = what + " did not answer (" + e.getMessage() + ")";
      if (REQUIRED) {
        throw new AssertionError(message + " and blnk.requireDatabases=true", e);
      }
      Assumptions.abort(message + "; skipping (set -Dblnk.requireDatabases=true to fail instead)");
      throw new AssertionError("unreachable");
    }
  }
}
