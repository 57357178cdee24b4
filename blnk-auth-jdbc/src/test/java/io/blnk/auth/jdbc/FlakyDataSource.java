package io.blnk.auth.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real data source with injected faults: while {@linkplain #breakDown() broken}, new connections
 * are refused and every call on connections, statements and result sets already handed out fails,
 * as when the database goes away; {@link #failCommits} makes commits fail, as when it dies mid-transaction.
 */
final class FlakyDataSource implements DataSource {

  private final DataSource real;
  private final AtomicBoolean broken = new AtomicBoolean();
  private final AtomicBoolean failCommits = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger refused =
      new java.util.concurrent.atomic.AtomicInteger();

  FlakyDataSource(DataSource real) {
    this.real = real;
  }

  void breakDown() {
    broken.set(true);
  }

  void heal() {
    broken.set(false);
    failCommits.set(false);
  }

  /** How many connections were refused while broken. */
  int refusedConnections() {
    return refused.get();
  }

  void failCommits() {
    failCommits.set(true);
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (broken.get()) {
      refused.incrementAndGet();
      throw new SQLTransientConnectionException("injected: database unreachable", "08001");
    }
    return wrap(real.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  private Connection wrap(Connection connection) {
    return (Connection) wrap(connection, Connection.class);
  }

  /** Wraps a JDBC object, and the statements and result sets it hands out, in the fault switch. */
  private Object wrap(Object target, Class<?> type) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          String name = method.getName();
          if (broken.get() && !name.equals("close") && !name.equals("isClosed")) {
            throw new SQLException("injected: connection lost", "08006");
          }
          if (failCommits.get() && name.equals("commit")) {
            throw new SQLException("injected: connection lost during commit", "08006");
          }
          Object result = invoke(target, method, args);
          Class<?> returned = method.getReturnType();
          boolean jdbc =
              returned.isInterface()
                  && returned.getName().startsWith("java.sql.")
                  && !name.equals("unwrap");
          return jdbc && result != null ? wrap(result, returned) : result;
        };
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
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
