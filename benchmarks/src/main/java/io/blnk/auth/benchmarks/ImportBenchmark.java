package io.blnk.auth.benchmarks;

import io.blnk.auth.jdbc.BlnkCoreImporter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The Blnk Core import's throughput on PostgreSQL (127.0.0.1:5432, user postgres, in a database of
 * its own that it drops): one import of {@value #ROWS} rows into an empty table per operation;
 * rows per second = {@value #ROWS} / the time printed. Needs the server; never touches its
 * settings.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ImportBenchmark {

  static final int ROWS = 10_000;
  private static final String ADMIN = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private String database;
  private String url;
  private int run;
  private String table;

  @Setup(Level.Trial)
  public void fill() throws SQLException {
    database = "blnk_import_bench_" + UUID.randomUUID().toString().substring(0, 8);
    exec(ADMIN, "CREATE DATABASE " + database);
    url = "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    exec(url, "CREATE SCHEMA blnk");
    // Blnk Core's api_keys after both of its migrations (see blnk-auth-cli's test fixtures).
    exec(url, "CREATE TABLE blnk.api_keys (id SERIAL PRIMARY KEY, api_key_id TEXT NOT NULL UNIQUE,"
        + " key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, owner_id TEXT NOT NULL,"
        + " scopes TEXT[] NOT NULL DEFAULT '{}', expires_at TIMESTAMP WITH TIME ZONE NOT NULL,"
        + " created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),"
        + " last_used_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),"
        + " is_revoked BOOLEAN NOT NULL DEFAULT FALSE, revoked_at TIMESTAMP WITH TIME ZONE,"
        + " key_prefix VARCHAR(16))");
    SecureRandom random = new SecureRandom();
    String template = "$2a$10$abcdefghijklmnopqrstuuJ1C7oBqZr4lJrN9gS3e6h7Y8zD0aB1c";
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO blnk.api_keys (api_key_id, key, key_prefix, name, owner_id, scopes,"
                  + " expires_at) VALUES (?,?,?,?,?,?,?)")) {
        for (int i = 0; i < ROWS; i++) {
          byte[] b = new byte[32];
          random.nextBytes(b);
          String key = Base64.getUrlEncoder().encodeToString(b);
          ps.setString(1, "api_key_" + UUID.randomUUID());
          ps.setString(2, template.substring(0, 7) + String.format("%06d", i).replace('0', 'a') + template.substring(13));
          ps.setString(3, key.substring(0, 16));
          ps.setString(4, "key " + i);
          ps.setString(5, "owner-" + (i % 50));
          ps.setArray(6, c.createArrayOf("text", new String[] {"ledgers:read", "balances:*"}));
          ps.setObject(7, OffsetDateTime.now().plusDays(90));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  @Setup(Level.Invocation)
  public void freshTable() {
    table = "public.blnk_api_keys_" + (run++);
  }

  @Benchmark
  public BlnkCoreImporter.Report import10000Rows() throws SQLException {
    PGSimpleDataSource target = new PGSimpleDataSource();
    target.setURL(url);
    try (Connection blnk = DriverManager.getConnection(url)) {
      BlnkCoreImporter.Report report = BlnkCoreImporter.builder(target).tableName(table).build().run(blnk);
      Fixtures.require(report.imported() == ROWS, "every row imported, got " + report);
      return report;
    }
  }

  @TearDown(Level.Trial)
  public void drop() throws SQLException {
    exec(ADMIN, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  private static void exec(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
