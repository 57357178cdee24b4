package io.blnk.auth.jdbc;

import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.CreditLease;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsageStore;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Credit balances, owner limits and (for the cluster mode) Bucket4j's buckets, in three tables
 * next to the key table ({@code <table>_credits}, {@code <table>_owner_limits}, {@code
 * <table>_buckets}, migration V4). Every statement runs on its own (auto-commit); a lease is one
 * read and one conditional {@code UPDATE ... WHERE remaining >= ?}, so concurrent nodes can never
 * take more than the balance. Thread-safe.
 */
final class JdbcUsageStore implements UsageStore {

  /** Conditional updates that lost a race are retried this often before the lease gives up. */
  private static final int MAX_ATTEMPTS = 50;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final TableName table;
  private final int timeoutSeconds;
  private final String credits;
  private final String ownerLimits;
  private final String selectBalance;
  private final String applyRefill;
  private final String take;
  private final String giveBack;
  private final String upsertBalance;
  private final String deleteBalance;
  private final String selectOwnerLimit;
  private final String upsertOwnerLimit;
  private final String deleteOwnerLimit;

  JdbcUsageStore(DataSource dataSource, Dialect dialect, TableName table, int timeoutSeconds) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = table;
    this.timeoutSeconds = timeoutSeconds;
    this.credits = table.sibling("_credits");
    this.ownerLimits = table.sibling("_owner_limits");
    this.selectBalance =
        "SELECT remaining, refill_amount, refill_interval, refill_day, period_start FROM "
            + credits
            + " WHERE usage_id = ?";
    this.applyRefill =
        "UPDATE "
            + credits
            + " SET remaining = refill_amount, period_start = ? WHERE usage_id = ? AND period_start = ?";
    this.take =
        "UPDATE "
            + credits
            + " SET remaining = remaining - ? WHERE usage_id = ? AND period_start = ? AND remaining >= ?";
    this.giveBack =
        "UPDATE " + credits + " SET remaining = remaining + ? WHERE usage_id = ? AND period_start = ?";
    String cols = "(usage_id, remaining, refill_amount, refill_interval, refill_day, period_start)";
    this.upsertBalance =
        switch (dialect) {
          case POSTGRESQL -> "INSERT INTO " + credits + " " + cols + " VALUES (?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT (usage_id) DO UPDATE SET remaining = EXCLUDED.remaining,"
              + " refill_amount = EXCLUDED.refill_amount, refill_interval = EXCLUDED.refill_interval,"
              + " refill_day = EXCLUDED.refill_day,"
              + " period_start = GREATEST(EXCLUDED.period_start, " + credits + ".period_start + 1)";
          case MARIADB -> "INSERT INTO " + credits + " " + cols + " VALUES (?, ?, ?, ?, ?, ?)"
              + " ON DUPLICATE KEY UPDATE remaining = VALUES(remaining),"
              + " refill_amount = VALUES(refill_amount), refill_interval = VALUES(refill_interval),"
              + " refill_day = VALUES(refill_day),"
              + " period_start = GREATEST(VALUES(period_start), period_start + 1)";
          case H2 -> "MERGE INTO " + credits + " t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT),"
              + " CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS INT), CAST(? AS BIGINT)))"
              + " s" + cols + " ON t.usage_id = s.usage_id"
              + " WHEN MATCHED THEN UPDATE SET remaining = s.remaining, refill_amount = s.refill_amount,"
              + " refill_interval = s.refill_interval, refill_day = s.refill_day,"
              + " period_start = GREATEST(s.period_start, t.period_start + 1)"
              + " WHEN NOT MATCHED THEN INSERT " + cols + " VALUES (s.usage_id, s.remaining,"
              + " s.refill_amount, s.refill_interval, s.refill_day, s.period_start)";
        };
    this.deleteBalance = "DELETE FROM " + credits + " WHERE usage_id = ?";
    this.selectOwnerLimit =
        "SELECT name, rate_limit, period_seconds FROM " + ownerLimits + " WHERE owner_id = ?";
    String ocols = "(owner_id, name, rate_limit, period_seconds)";
    this.upsertOwnerLimit =
        switch (dialect) {
          case POSTGRESQL -> "INSERT INTO " + ownerLimits + " " + ocols + " VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (owner_id) DO UPDATE SET name = EXCLUDED.name,"
              + " rate_limit = EXCLUDED.rate_limit, period_seconds = EXCLUDED.period_seconds";
          case MARIADB -> "INSERT INTO " + ownerLimits + " " + ocols + " VALUES (?, ?, ?, ?)"
              + " ON DUPLICATE KEY UPDATE name = VALUES(name), rate_limit = VALUES(rate_limit),"
              + " period_seconds = VALUES(period_seconds)";
          case H2 -> "MERGE INTO " + ownerLimits + " " + ocols + " KEY (owner_id) VALUES (?, ?, ?, ?)";
        };
    this.deleteOwnerLimit = "DELETE FROM " + ownerLimits + " WHERE owner_id = ?";
  }

  private interface Sql<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T run(String operation, Sql<T> work) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw Failures.unavailable(operation, e);
    }
  }

  private PreparedStatement prepare(Connection c, String text) throws SQLException {
    PreparedStatement ps = c.prepareStatement(text);
    ps.setQueryTimeout(timeoutSeconds);
    return ps;
  }

  @Override
  public void defineCredits(String usageId, Credits credits, Instant now) {
    // The period starts now, and always after the one it replaces (also within one millisecond):
    // a new balance voids every lease of the old one (their period differs), and a refill is due
    // at the first boundary after now.
    long start = now.toEpochMilli();
    run(
        "defineCredits",
        c -> {
          try (PreparedStatement ps = prepare(c, upsertBalance)) {
            ps.setString(1, usageId);
            ps.setLong(2, credits.remaining());
            if (credits.refill().isPresent()) {
              Refill r = credits.refill().get();
              ps.setLong(3, r.amount());
              ps.setString(4, r.interval().token());
              ps.setInt(5, r.day());
            } else {
              ps.setNull(3, Types.BIGINT);
              ps.setNull(4, Types.VARCHAR);
              ps.setInt(5, 0);
            }
            ps.setLong(6, start);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void removeCredits(String usageId) {
    run(
        "removeCredits",
        c -> {
          try (PreparedStatement ps = prepare(c, deleteBalance)) {
            ps.setString(1, usageId);
            return ps.executeUpdate();
          }
        });
  }

  /** A balance's row as read. */
  private record Row(long remaining, Refill refill, long periodStart) {}

  private Row read(Connection c, String usageId) throws SQLException {
    try (PreparedStatement ps = prepare(c, selectBalance)) {
      ps.setString(1, usageId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long remaining = rs.getLong(1);
        long amount = rs.getLong(2);
        boolean hasRefill = !rs.wasNull();
        String interval = rs.getString(3);
        int day = rs.getInt(4);
        long start = rs.getLong(5);
        Refill refill =
            hasRefill
                ? "monthly".equals(interval) ? Refill.monthly(amount, day) : Refill.daily(amount)
                : null;
        return new Row(remaining, refill, start);
      }
    }
  }

  /** Applies a refill due at {@code now} to a row read as {@code row}: once, whoever comes first. */
  private boolean refillIfDue(Connection c, String usageId, Row row, long nowMillis)
      throws SQLException {
    if (row.refill == null) {
      return false;
    }
    long boundary = row.refill.boundaryAtOrBefore(nowMillis);
    if (boundary <= row.periodStart) {
      return false;
    }
    try (PreparedStatement ps = prepare(c, applyRefill)) {
      ps.setLong(1, boundary);
      ps.setString(2, usageId);
      ps.setLong(3, row.periodStart);
      ps.executeUpdate(); // 0 rows: another node applied it first
    }
    return true;
  }

  @Override
  public CreditLease lease(String usageId, long want, Instant now) {
    long nowMillis = now.toEpochMilli();
    return run(
        "leaseCredits",
        c -> {
          long ask = want;
          for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Row row = read(c, usageId);
            if (row == null) {
              return new CreditLease(0, 0, 0);
            }
            if (refillIfDue(c, usageId, row, nowMillis)) {
              continue;
            }
            long n = Math.min(ask, row.remaining);
            if (n <= 0) {
              return new CreditLease(0, 0, row.periodStart);
            }
            try (PreparedStatement ps = prepare(c, take)) {
              ps.setLong(1, n);
              ps.setString(2, usageId);
              ps.setLong(3, row.periodStart);
              ps.setLong(4, n);
              if (ps.executeUpdate() == 1) {
                return new CreditLease(n, row.remaining - n, row.periodStart);
              }
            }
            if (attempt > 4) {
              ask = Math.max(1, ask / 2); // heavy contention: ask for less
            }
          }
          throw new SQLException("credit lease lost " + MAX_ATTEMPTS + " races in a row", "40001");
        });
  }

  @Override
  public void giveBack(String usageId, long amount, long periodStart) {
    if (amount <= 0) {
      return;
    }
    run(
        "returnCredits",
        c -> {
          try (PreparedStatement ps = prepare(c, giveBack)) {
            ps.setLong(1, amount);
            ps.setString(2, usageId);
            ps.setLong(3, periodStart);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public OptionalLong remainingCredits(String usageId, Instant now) {
    return run(
        "readCredits",
        c -> {
          Row row = read(c, usageId);
          if (row != null && refillIfDue(c, usageId, row, now.toEpochMilli())) {
            row = read(c, usageId);
          }
          return row == null ? OptionalLong.empty() : OptionalLong.of(row.remaining);
        });
  }

  @Override
  public Optional<RateLimit> ownerLimit(OwnerId owner) {
    return run(
        "readOwnerLimit",
        c -> {
          try (PreparedStatement ps = prepare(c, selectOwnerLimit)) {
            ps.setString(1, owner.value());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new RateLimit(rs.getString(1), rs.getLong(2), Duration.ofSeconds(rs.getLong(3))));
            }
          }
        });
  }

  @Override
  public void setOwnerLimit(OwnerId owner, Optional<RateLimit> limit) {
    run(
        "setOwnerLimit",
        c -> {
          if (limit.isEmpty()) {
            try (PreparedStatement ps = prepare(c, deleteOwnerLimit)) {
              ps.setString(1, owner.value());
              return ps.executeUpdate();
            }
          }
          try (PreparedStatement ps = prepare(c, upsertOwnerLimit)) {
            ps.setString(1, owner.value());
            ps.setString(2, limit.get().name());
            ps.setLong(3, limit.get().limit());
            ps.setLong(4, limit.get().periodSeconds());
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<ProxyManager<String>> clusterBuckets(TimeMeter clock) {
    ClientSideConfig config = ClientSideConfig.getDefault().withClientClock(clock);
    return Optional.of(new SqlBuckets(dataSource, dialect, table.sibling("_buckets"), timeoutSeconds, config));
  }

  @Override
  public String toString() {
    return "JdbcUsageStore[" + dialect + ", " + table + "]";
  }
}
