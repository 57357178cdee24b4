package io.blnk.auth.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A connection per call from a JDBC URL: enough for a short-lived command. Thread-safe. */
final class UrlDataSource implements DataSource {

  private final String url;
  private final Properties properties;

  UrlDataSource(String url, String user, String password) {
    this.url = url;
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(url, properties);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return DriverManager.getConnection(url, username, password);
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

  /** The URL without anything that could be a password: scheme, host and path only. */
  static String redact(String url) {
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    int semi = base.indexOf(';');
    base = semi < 0 ? base : base.substring(0, semi);
    int at = base.lastIndexOf('@');
    int scheme = base.indexOf("//");
    if (at > 0 && scheme >= 0 && at > scheme) {
      base = base.substring(0, scheme + 2) + "***@" + base.substring(at + 1);
    }
    return base;
  }

  @Override
  public String toString() {
    return "UrlDataSource[" + redact(url) + "]";
  }
}
