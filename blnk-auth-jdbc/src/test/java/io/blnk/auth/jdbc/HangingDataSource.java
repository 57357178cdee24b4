package io.blnk.auth.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/** Hands out connections until {@link #hang()}; then every new connection waits for release. */
final class HangingDataSource extends ForwardingDataSource {
  private volatile CountDownLatch gate = new CountDownLatch(0);

  HangingDataSource(DataSource real) {
    super(real);
  }

  void hang() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  @Override
  public Connection getConnection() throws SQLException {
    try {
      gate.await(); // a pool with no connection to give and no timeout, or a dead network
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a connection", "08001", e);
    }
    return delegate().getConnection();
  }
}
