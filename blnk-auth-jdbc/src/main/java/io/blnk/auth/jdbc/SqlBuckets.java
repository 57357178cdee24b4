package io.blnk.auth.jdbc;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bucket4j's select-for-update JDBC integration on the key table's {@code <table>_buckets}, one
 * class for PostgreSQL, MariaDB/MySQL and H2 (only the "insert if absent" statement differs).
 * Each request to a bucket is one transaction: {@code SELECT state ... FOR UPDATE}, Bucket4j's
 * arithmetic in this process, {@code UPDATE}, {@code COMMIT} (the first request to a bucket also
 * inserts its row). Bucket4j ships the same design for PostgreSQL ({@code bucket4j_jdk17-postgresql});
 * its MariaDB module is not published for 8.x, so the three dialects share this one.
 */
final class SqlBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

  private final DataSource dataSource;
  private final int timeoutSeconds;
  private final String select;
  private final String insert;
  private final String update;
  private final String delete;

  SqlBuckets(
      DataSource dataSource, Dialect dialect, String table, int timeoutSeconds, ClientSideConfig config) {
    super(config);
    this.dataSource = dataSource;
    this.timeoutSeconds = timeoutSeconds;
    this.select = "SELECT state FROM " + table + " WHERE id = ? FOR UPDATE";
    this.insert =
        switch (dialect) {
          case POSTGRESQL -> "INSERT INTO " + table + " (id, state) VALUES (?, NULL) ON CONFLICT (id) DO NOTHING";
          case MARIADB -> "INSERT IGNORE INTO " + table + " (id, state) VALUES (?, NULL)";
          case H2 -> "MERGE INTO " + table + " (id) KEY (id) VALUES (?)";
        };
    this.update = "UPDATE " + table + " SET state = ? WHERE id = ?";
    this.delete = "DELETE FROM " + table + " WHERE id = ?";
  }

  /** Runs a request to a bucket, again (up to twice more) if the database chose it as a deadlock victim. */
  @Override
  public <T> io.github.bucket4j.distributed.remote.CommandResult<T> execute(
      String key, io.github.bucket4j.distributed.remote.Request<T> request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return super.execute(key, request);
      } catch (RuntimeException e) {
        if (attempt >= 3 || !retryable(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && Failures.isRetryable(sql)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeout) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw Failures.unavailable("rateLimit", e);
    }
    return new SelectForUpdateBasedTransaction() {
      @Override
      public void begin(Optional<Long> t) {
        try {
          connection.setAutoCommit(false);
        } catch (SQLException e) {
          throw Failures.unavailable("rateLimit", e);
        }
      }

      @Override
      public void rollback() {
        try {
          connection.rollback();
        } catch (SQLException e) {
          throw Failures.unavailable("rateLimit", e);
        }
      }

      @Override
      public void commit(Optional<Long> t) {
        try {
          connection.commit();
        } catch (SQLException e) {
          throw Failures.unavailable("rateLimit", e);
        }
      }

      @Override
      public LockAndGetResult tryLockAndGet(Optional<Long> t) {
        try (PreparedStatement ps = connection.prepareStatement(select)) {
          ps.setQueryTimeout(timeoutSeconds);
          ps.setString(1, key);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              // Release the gap lock MariaDB took for the missing row before inserting it, or
              // nodes inserting the same new bucket deadlock.
              connection.rollback();
              return LockAndGetResult.notLocked();
            }
            return LockAndGetResult.locked(rs.getBytes(1));
          }
        } catch (SQLException e) {
          throw Failures.unavailable("rateLimit", e);
        }
      }

      @Override
      public boolean tryInsertEmptyData(Optional<Long> t) {
        try (PreparedStatement ps = connection.prepareStatement(insert)) {
          ps.setQueryTimeout(timeoutSeconds);
          ps.setString(1, key);
          ps.executeUpdate();
          return true;
        } catch (SQLException e) {
          if (Failures.isIntegrityViolation(e)) {
            return false; // inserted by another node meanwhile: lock it next time
          }
          throw Failures.unavailable("rateLimit", e);
        }
      }

      @Override
      public void update(byte[] data, RemoteBucketState state, Optional<Long> t) {
        try (PreparedStatement ps = connection.prepareStatement(update)) {
          ps.setQueryTimeout(timeoutSeconds);
          ps.setBytes(1, data);
          ps.setString(2, key);
          ps.executeUpdate();
        } catch (SQLException e) {
          throw Failures.unavailable("rateLimit", e);
        }
      }

      @Override
      public void release() {
        try {
          connection.setAutoCommit(true);
        } catch (SQLException e) {
          // closing anyway
        }
        try {
          connection.close();
        } catch (SQLException e) {
          // nothing to do
        }
      }
    };
  }

  @Override
  public void removeProxy(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(delete)) {
      ps.setString(1, key);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw Failures.unavailable("rateLimit", e);
    }
  }

  @Override
  public boolean isExpireAfterWriteSupported() {
    return false;
  }
}
