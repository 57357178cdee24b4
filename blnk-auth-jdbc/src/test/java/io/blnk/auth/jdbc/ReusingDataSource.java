package io.blnk.auth.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The least a connection pool does, for tests: connections closed by the store go back to an idle
 * queue (rolled back and reset to auto-commit) and are handed out again, as a host's pool would.
 * Saves a PostgreSQL backend start per operation.
 */
final class ReusingDataSource implements DataSource, AutoCloseable {

  private final DataSource real;
  private final BlockingQueue<Connection> idle;

  ReusingDataSource(DataSource real, int maxIdle) {
    this.real = real;
    this.idle = new ArrayBlockingQueue<>(maxIdle);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c;
    while ((c = idle.poll()) != null) {
      if (!c.isClosed()) {
        return lease(c);
      }
    }
    return lease(real.getConnection());
  }

  private Connection lease(Connection c) {
    boolean[] returned = {false};
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "close":
                  if (!returned[0]) {
                    returned[0] = true;
                    giveBack(c);
                  }
                  return null;
                case "isClosed":
                  return returned[0] || c.isClosed();
                case "unwrap":
                  return ((Class<?>) args[0]).isInstance(proxy) ? proxy : c.unwrap((Class<?>) args[0]);
                case "isWrapperFor":
                  return ((Class<?>) args[0]).isInstance(proxy) || c.isWrapperFor((Class<?>) args[0]);
                default:
                  if (returned[0]) {
                    throw new SQLException("connection already returned to the pool", "08003");
                  }
                  try {
                    return method.invoke(c, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
              }
            });
  }

  private void giveBack(Connection c) {
    try {
      if (c.isClosed()) {
        return;
      }
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      if (!idle.offer(c)) {
        c.close();
      }
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // broken anyway
      }
    }
  }

  @Override
  public void close() {
    Connection c;
    while ((c = idle.poll()) != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return real.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return real.isWrapperFor(iface);
  }
}
