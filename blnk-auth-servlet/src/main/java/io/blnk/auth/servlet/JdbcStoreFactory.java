package io.blnk.auth.servlet;

import io.blnk.auth.store.KeyStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * {@link KeyStoreFactory#jdbc()}: finds {@code JdbcKeyStore} by reflection, so this module does not
 * depend on blnk-auth-jdbc. Stateless.
 */
final class JdbcStoreFactory implements KeyStoreFactory {

  static final String JDBC_STORE = "io.blnk.auth.jdbc.JdbcKeyStore";

  @Override
  public KeyStore create(FilterConfig config) throws ServletException {
    DataSource dataSource = dataSource(config);
    Class<?> type;
    try {
      type = Class.forName(JDBC_STORE, true, loader());
    } catch (ClassNotFoundException e) {
      throw new ServletException(
          "BlnkAuthFilter: blnk-auth-jdbc is not on the class path; add it, or name a "
              + KeyStoreFactory.class.getName()
              + " in init parameter storeFactory");
    }
    try {
      Object builder = type.getMethod("builder", DataSource.class).invoke(null, dataSource);
      String table = param(config, "tableName");
      if (table != null) {
        builder = call(builder, "tableName", String.class, table);
      }
      String poll = param(config, "pollInterval");
      if (poll != null) {
        builder = call(builder, "pollInterval", java.time.Duration.class, java.time.Duration.parse(poll));
      }
      String migrate = param(config, "migrate");
      if (migrate != null) {
        builder = call(builder, "migrate", boolean.class, FilterSettings.parseBoolean("migrate", migrate));
      }
      Method build = builder.getClass().getMethod("build");
      return (KeyStore) build.invoke(builder);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new ServletException("BlnkAuthFilter: could not create the JDBC key store: " + cause, cause);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ServletException("BlnkAuthFilter: could not create the JDBC key store: " + e, e);
    }
  }

  private static Object call(Object target, String name, Class<?> type, Object value)
      throws ReflectiveOperationException {
    return target.getClass().getMethod(name, type).invoke(target, value);
  }

  private static DataSource dataSource(FilterConfig config) throws ServletException {
    String attribute = param(config, "dataSourceAttribute");
    if (attribute != null) {
      Object value = config.getServletContext().getAttribute(attribute);
      if (value instanceof DataSource ds) {
        return ds;
      }
      throw new ServletException(
          "BlnkAuthFilter: servlet context attribute "
              + attribute
              + " does not hold a javax.sql.DataSource (found "
              + (value == null ? "nothing" : value.getClass().getName())
              + ")");
    }
    String name = param(config, "dataSource");
    if (name == null) {
      throw new ServletException(
          "BlnkAuthFilter: set init parameter dataSource (a JNDI name) or dataSourceAttribute (a"
              + " servlet context attribute), or storeFactory");
    }
    try {
      InitialContext jndi = new InitialContext();
      Object found;
      try {
        found = jndi.lookup(name);
      } catch (NamingException first) {
        if (name.startsWith("java:")) {
          throw first;
        }
        found = jndi.lookup("java:comp/env/" + name);
      }
      if (found instanceof DataSource ds) {
        return ds;
      }
      throw new ServletException("BlnkAuthFilter: JNDI name " + name + " is not a DataSource");
    } catch (NamingException e) {
      throw new ServletException("BlnkAuthFilter: no DataSource under JNDI name " + name, e);
    }
  }

  private static String param(FilterConfig config, String name) {
    String v = config.getInitParameter(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : JdbcStoreFactory.class.getClassLoader();
  }
}
