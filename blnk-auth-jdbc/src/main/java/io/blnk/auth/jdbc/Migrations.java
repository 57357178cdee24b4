package io.blnk.auth.jdbc;

import io.blnk.auth.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned, idempotent schema migrations, shipped as SQL resources per dialect and recorded in a
 * {@code <table>_schema_version} table. Nodes starting together serialise on a database lock
 * (PostgreSQL advisory lock, MariaDB {@code GET_LOCK}; H2, normally in-process, on a JVM lock), and
 * every script is written to be re-runnable ({@code IF NOT EXISTS}).
 */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final ReentrantLock H2_LOCK = new ReentrantLock();
  private static final int LOCK_WAIT_SECONDS = 60;

  /** A set of scripts for one kind of table. */
  enum Set {
    KEYS(
        "",
        List.of(
            new Script(1, "V1__api_keys.sql", "api keys table"),
            new Script(2, "V2__owner_locks.sql", "per-owner lock for the active key limit"),
            new Script(3, "V3__key_lifecycle.sql", "key lifecycle: disable, meta data, allowed ips, rotation links, key digest"),
            new Script(4, "V4__usage.sql", "usage controls: credits, owner limits, buckets"))),
    EVENTS("events/", List.of(new Script(1, "V1__auth_events.sql", "auth events table")));

    final String folder;
    final List<Script> scripts;

    Set(String folder, List<Script> scripts) {
      this.folder = folder;
      this.scripts = scripts;
    }

    int latest() {
      return scripts.get(scripts.size() - 1).version;
    }
  }

  record Script(int version, String file, String description) {}

  private Migrations() {}

  /**
   * Brings {@code table} up to the latest version this library knows.
   *
   * @return the schema version now recorded
   * @throws IllegalStateException if the database records a newer version than this library knows
   * @throws StoreUnavailableException if the database failed
   */
  static int migrate(DataSource dataSource, Dialect dialect, TableName table, Set set) {
    String lockName = "blnk_auth_migrate_" + crc(table.qualified());
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      try {
        switch (dialect) {
          case POSTGRESQL:
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
              ps.setLong(1, lockKey(lockName));
              ps.execute();
            }
            return migrateLocked(c, dialect, table, set);
          case MARIADB:
            c.setAutoCommit(true);
            acquireMariaDbLock(c, lockName);
            try {
              return migrateLocked(c, dialect, table, set);
            } finally {
              try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, lockName);
                ps.execute();
              }
            }
          case H2:
          default:
            H2_LOCK.lock();
            try {
              c.setAutoCommit(false);
              return migrateLocked(c, dialect, table, set);
            } finally {
              H2_LOCK.unlock();
            }
        }
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        restoreAutoCommit(c, autoCommit);
      }
    } catch (SQLException e) {
      throw Failures.unavailable("migrate " + table, e);
    }
  }

  private static int migrateLocked(Connection c, Dialect dialect, TableName table, Set set)
      throws SQLException {
    String versions = table.sibling("_schema_version");
    try (Statement s = c.createStatement()) {
      s.execute(versionTableDdl(dialect, versions));
    }
    int current = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + versions)) {
      if (rs.next()) {
        current = rs.getInt(1);
      }
    }
    if (current > set.latest()) {
      throw new IllegalStateException(
          "table "
              + table
              + " has schema version "
              + current
              + " (recorded in "
              + versions
              + "), newer than version "
              + set.latest()
              + " known to this blnk-auth-jdbc; upgrade blnk-auth-jdbc, or use another table");
    }
    for (Script script : set.scripts) {
      if (script.version <= current) {
        continue;
      }
      for (String sql : statements(dialect, set, script, table)) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO " + versions + " (version, description) VALUES (?, ?)")) {
        ps.setInt(1, script.version);
        ps.setString(2, script.description);
        ps.executeUpdate();
      }
      LOG.info("migrated {} to schema version {} ({})", table, script.version, script.description);
      current = script.version;
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
    return current;
  }

  private static String versionTableDdl(Dialect dialect, String versions) {
    switch (dialect) {
      case POSTGRESQL:
        return "CREATE TABLE IF NOT EXISTS "
            + versions
            + " (version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL,"
            + " installed_at TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP)";
      case MARIADB:
        return "CREATE TABLE IF NOT EXISTS "
            + versions
            + " (version INT NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL,"
            + " installed_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB";
      case H2:
      default:
        return "CREATE TABLE IF NOT EXISTS "
            + versions
            + " (version INT NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL,"
            + " installed_at TIMESTAMP(6) WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)";
    }
  }

  /** The script's statements with the validated names substituted. */
  static List<String> statements(Dialect dialect, Set set, Script script, TableName table) {
    String path = "migrations/" + dialect.directory() + "/" + set.folder + script.file;
    String text;
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the jar: " + path);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read migration script " + path, e);
    }
    StringBuilder kept = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.strip().startsWith("--")) {
        kept.append(line).append('\n');
      }
    }
    String sql =
        kept.toString()
            .replace("${table}", table.qualified())
            .replace("${schema_dot}", table.schemaDot())
            .replace("${name}", table.name());
    List<String> out = new ArrayList<>();
    for (String statement : sql.split(";")) {
      if (!statement.isBlank()) {
        out.add(statement.strip());
      }
    }
    return out;
  }

  private static void acquireMariaDbLock(Connection c, String lockName) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
      ps.setString(1, lockName);
      ps.setInt(2, LOCK_WAIT_SECONDS);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new SQLException(
              "could not take the migration lock within " + LOCK_WAIT_SECONDS + " s", "55P03");
        }
      }
    }
  }

  static String crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  private static long lockKey(String lockName) {
    CRC32 crc = new CRC32();
    crc.update(lockName.getBytes(StandardCharsets.UTF_8));
    return 0x626c6e6b00000000L | crc.getValue();
  }

  static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is broken; the rollback happens when it closes.
    }
  }

  static void restoreAutoCommit(Connection c, boolean autoCommit) {
    try {
      if (c.getAutoCommit() != autoCommit) {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException ignored) {
      // Broken connection; nothing to restore.
    }
  }
}
