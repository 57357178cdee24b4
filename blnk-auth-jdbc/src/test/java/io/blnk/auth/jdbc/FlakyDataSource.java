package io.blnk.auth.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A real data source with injected faults: while {@linkplain #breakDown() broken}, new connections
 * are refused and every call on connections, statements and result sets already handed out fails,
 * as when the database goes away; {@link #failCommits} makes commits fail, as when it dies mid-transaction.
 */
final class FlakyDataSource extends ForwardingDataSource {

  private final AtomicBoolean broken = new AtomicBoolean();
  private final AtomicBoolean failCommits = new AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicInteger refused =
      new java.util.concurrent.atomic.AtomicInteger();

  FlakyDataSource(DataSource real) {
    super(real);
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
    return wrap(delegate().getConnection());
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
}
