package io.blnk.auth.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.sql.DataSource;

/**
 * The least a connection pool does, for tests: connections closed by the store go back to an idle
 * queue (rolled back and reset to auto-commit) and are handed out again, as a host's pool would.
 * Saves a PostgreSQL backend start per operation.
 */
final class ReusingDataSource extends ForwardingDataSource implements AutoCloseable {

  private final BlockingQueue<Connection> idle;

  ReusingDataSource(DataSource real, int maxIdle) {
    super(real);
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
    return lease(delegate().getConnection());
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
}
