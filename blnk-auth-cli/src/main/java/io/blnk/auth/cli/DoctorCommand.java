package io.blnk.auth.cli;

import io.blnk.auth.jdbc.Dialect;
import io.blnk.auth.jdbc.JdbcKeyStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code blnk-auth doctor}: checks a deployment; exits 1 when a check fails. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    header = "Check a deployment; exit 1 if a check fails.",
    description = {
      "Check a deployment: master-key strength, database reachable, schema version,",
      "revocation feed mode and lag, clock skew against the database. Exit 1 if a check fails."
    })
final class DoctorCommand extends Sub implements Callable<Integer> {

  @Option(names = "--max-skew", paramLabel = "DURATION", description = "Clock skew that fails the check (default 5s).")
  String maxSkew = "5s";

  private record Check(String name, String status, String detail) {}

  @Override
  public Integer call() {
    BlnkAuthCli r = root();
    Duration skewLimit = KeysCommand.parseDuration(maxSkew, "--max-skew");
    List<Check> checks = new ArrayList<>();
    checks.add(masterKey(r));
    DataSource ds = null;
    try {
      ds = r.dataSource();
    } catch (CliException e) {
      checks.add(new Check("database", "FAIL", e.getMessage()));
    }
    if (ds != null) {
      database(ds, r.tableName(), skewLimit, checks);
    }
    boolean failed = checks.stream().anyMatch(c -> c.status.equals("FAIL"));
    if (r.json) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Check c : checks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("check", c.name);
        m.put("status", c.status);
        m.put("detail", c.detail);
        out.add(m);
      }
      Output.json(r.out, Map.of("ok", !failed, "checks", out));
    } else {
      List<List<String>> rows = new ArrayList<>();
      checks.forEach(c -> rows.add(List.of(c.name, c.status, c.detail)));
      Output.table(r.out, List.of("CHECK", "STATUS", "DETAIL"), rows);
    }
    if (failed) {
      r.err.println("blnk-auth: doctor found problems");
    }
    return failed ? 1 : 0;
  }

  private static Check masterKey(BlnkAuthCli r) {
    ServerConfig config;
    try {
      config = r.serverConfig();
    } catch (CliException e) {
      return new Check("master key", "FAIL", e.getMessage());
    }
    if (!config.secure) {
      return new Check("master key", "WARN", "secure mode is off (" + config.source + "): every request passes");
    }
    if (config.secretKey == null || config.secretKey.isEmpty()) {
      return new Check(
          "master key",
          "FAIL",
          "secure mode needs server.secret_key or BLNK_SERVER_SECRET_KEY; generate one with: blnk-auth master-key generate");
    }
    try {
      io.blnk.auth.MasterKeys.requireStrong(config.secretKey, "the master key");
    } catch (IllegalStateException e) {
      return new Check("master key", "FAIL", e.getMessage());
    }
    return new Check("master key", "OK", config.secretKey.length() + " characters (" + config.source + ")");
  }

  private static void database(DataSource ds, String table, Duration skewLimit, List<Check> checks) {
    Dialect dialect;
    try (Connection c = ds.getConnection()) {
      var meta = c.getMetaData();
      dialect = Dialect.forProductName(meta.getDatabaseProductName()).orElse(null);
      checks.add(
          new Check(
              "database",
              dialect == null ? "FAIL" : "OK",
              meta.getDatabaseProductName()
                  + " "
                  + meta.getDatabaseProductVersion()
                  + (dialect == null ? ": not supported (PostgreSQL, MariaDB/MySQL or H2)" : "")));
      if (dialect == null) {
        return;
      }
      checks.add(schema(c, table));
      checks.add(feed(ds, dialect));
      checks.add(skew(c, skewLimit));
    } catch (SQLException e) {
      checks.add(new Check("database", "FAIL", "cannot connect: " + e.getClass().getSimpleName()
          + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]")));
    }
  }

  private static Check schema(Connection c, String table) {
    int latest = JdbcKeyStore.latestSchemaVersion();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + validTable(table) + "_schema_version")) {
      int version = rs.next() ? rs.getInt(1) : 0;
      if (version == latest) {
        return new Check("schema", "OK", table + " at version " + version);
      }
      if (version < latest) {
        return new Check("schema", "WARN", table + " at version " + version + " of " + latest + ": run blnk-auth migrate");
      }
      return new Check("schema", "FAIL", table + " at version " + version + ", newer than this blnk-auth (" + latest + ")");
    } catch (SQLException e) {
      rollbackQuietly(c);
      return new Check("schema", "FAIL", table + " is not migrated: run blnk-auth migrate");
    }
  }

  /** Only names the store itself accepts go into SQL text. */
  private static String validTable(String table) {
    if (!table.matches("([a-z_][a-z0-9_]{0,39}\\.)?[a-z_][a-z0-9_]{0,39}")) {
      throw new CliException("invalid table name \"" + table + "\"");
    }
    return table;
  }

  /** PostgreSQL: LISTEN/NOTIFY, measured by one round trip; elsewhere: polling. */
  private static Check feed(DataSource ds, Dialect dialect) {
    if (dialect != Dialect.POSTGRESQL) {
      return new Check("feed", "OK", "poll mode: other nodes learn of revocations within the poll interval (default 1 s)");
    }
    String channel = "blnk_auth_doctor_" + Long.toHexString(System.nanoTime());
    try (Connection listen = ds.getConnection();
        Connection send = ds.getConnection()) {
      org.postgresql.PGConnection pg = listen.unwrap(org.postgresql.PGConnection.class);
      listen.setAutoCommit(true);
      try (Statement s = listen.createStatement()) {
        s.execute("LISTEN " + channel);
      }
      long start = System.nanoTime();
      try (var ps = send.prepareStatement("SELECT pg_notify(?, 'ping')")) {
        ps.setString(1, channel);
        ps.executeQuery().close();
      }
      org.postgresql.PGNotification[] got = pg.getNotifications(5_000);
      long micros = (System.nanoTime() - start) / 1_000;
      try (Statement s = listen.createStatement()) {
        s.execute("UNLISTEN " + channel);
      }
      if (got == null || got.length == 0) {
        return new Check("feed", "FAIL", "notify mode: no notification within 5 s");
      }
      return new Check("feed", "OK", String.format("notify mode (LISTEN/NOTIFY): round trip %.1f ms", micros / 1000.0));
    } catch (SQLException e) {
      return new Check("feed", "WARN", "LISTEN/NOTIFY unavailable, nodes fall back to polling: " + e.getSQLState());
    }
  }

  private static Check skew(Connection c, Duration limit) {
    try (Statement s = c.createStatement()) {
      Instant before = Instant.now();
      OffsetDateTime db;
      try (ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
        rs.next();
        db = rs.getObject(1, OffsetDateTime.class);
      }
      Instant after = Instant.now();
      Instant mid = before.plus(Duration.between(before, after).dividedBy(2));
      Duration skew = Duration.between(mid, db.toInstant());
      // CURRENT_TIMESTAMP is the transaction's start on some databases: allow the round trip.
      long ms = skew.toMillis();
      String detail = String.format("database clock is %+d ms from this machine's", ms);
      if (Math.abs(ms) > limit.toMillis()) {
        return new Check("clock", "FAIL", detail + " (limit " + limit.toMillis() + " ms): expiry is decided on the servers' clocks");
      }
      return new Check("clock", Math.abs(ms) > 1000 ? "WARN" : "OK", detail);
    } catch (SQLException e) {
      rollbackQuietly(c);
      return new Check("clock", "WARN", "cannot read the database clock: " + e.getSQLState());
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // Broken connection.
    }
  }
}
