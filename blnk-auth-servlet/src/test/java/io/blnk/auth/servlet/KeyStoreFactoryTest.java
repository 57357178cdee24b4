package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

/** The default store factory of a web.xml filter, without blnk-auth-jdbc on the class path. */
final class KeyStoreFactoryTest {

  final ServletContext context = new ServletContextHandler().getServletContext();

  FilterConfig config(Map<String, String> params) {
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "blnk";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }

  @Test
  void withoutADataSourceTheMessageSaysWhatToSet() {
    assertThatThrownBy(() -> KeyStoreFactory.jdbc().create(config(Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("dataSource")
        .hasMessageContaining("storeFactory");
  }

  @Test
  void anAttributeThatIsNotADataSourceIsNamed() {
    context.setAttribute("db", "not a data source");
    assertThatThrownBy(() -> KeyStoreFactory.jdbc().create(config(Map.of("dataSourceAttribute", "db"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("db")
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void aDataSourceWithoutTheJdbcModuleSaysToAddIt() {
    context.setAttribute("ds", new NoDataSource());
    assertThatThrownBy(() -> KeyStoreFactory.jdbc().create(config(Map.of("dataSourceAttribute", "ds"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("blnk-auth-jdbc");
  }

  @Test
  void aWebXmlFilterWithAWeakKeyFailsToStartWithCoresMessage() {
    BlnkAuthFilter filter = new BlnkAuthFilter();
    assertThatThrownBy(
            () ->
                filter.init(
                    config(
                        Map.of(
                            "storeFactory", InMemoryStoreFactory.class.getName(),
                            "environment", "false",
                            "config", "src/test/resources/weak-blnk.json"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("openssl rand");
    assertThat(filter.toString()).contains("not initialised");
  }

  @Test
  void aStoreFactoryThatIsNotOneIsRefused() {
    assertThatThrownBy(() -> new BlnkAuthFilter().init(config(Map.of("storeFactory", "java.lang.String", "environment", "false"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("KeyStoreFactory");
  }

  /** A DataSource that never connects. */
  static final class NoDataSource implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      throw new SQLException("no database");
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLException("no database");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
