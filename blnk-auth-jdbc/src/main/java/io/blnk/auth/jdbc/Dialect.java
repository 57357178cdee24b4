package io.blnk.auth.jdbc;

import io.blnk.auth.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The SQL databases {@link JdbcKeyStore} and {@link JdbcAuditListener} support. Each has its own
 * migrations, timestamp type and change feed: PostgreSQL uses {@code LISTEN/NOTIFY}, the others
 * poll.
 *
 * <p>Constants are immutable and thread-safe.
 */
public enum Dialect {

  /** PostgreSQL 12 or later. */
  POSTGRESQL("postgresql"),
  /** MariaDB 10.3 or later, or MySQL 8. */
  MARIADB("mariadb"),
  /** H2 2.x. */
  H2("h2");

  private final String directory;

  Dialect(String directory) {
    this.directory = directory;
  }

  /** The folder of this dialect's migration scripts. */
  String directory() {
    return directory;
  }

  /**
   * The dialect for a database product name as JDBC reports it ({@code
   * DatabaseMetaData.getDatabaseProductName()}).
   *
   * @param productName the product name, e.g. {@code "PostgreSQL"}, {@code "MariaDB"}, {@code
   *     "H2"}
   * @return the dialect, or empty for a database this library does not support
   * @throws NullPointerException if {@code productName} is null
   */
  public static Optional<Dialect> forProductName(String productName) {
    Objects.requireNonNull(productName, "productName");
    String p = productName.toLowerCase(Locale.ROOT);
    if (p.contains("postgresql")) {
      return Optional.of(POSTGRESQL);
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return Optional.of(MARIADB);
    }
    if (p.startsWith("h2")) {
      return Optional.of(H2);
    }
    return Optional.empty();
  }

  /**
   * Asks the database behind {@code dataSource} what it is, on one connection it then closes.
   *
   * @param dataSource the database
   * @return its dialect
   * @throws StoreUnavailableException if no connection could be made
   * @throws IllegalArgumentException if the database is not one this library supports
   */
  public static Dialect detect(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    String product;
    try (Connection c = dataSource.getConnection()) {
      product = c.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      throw Failures.unavailable("detectDialect", e);
    }
    return forProductName(product)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unsupported database \""
                        + product
                        + "\": blnk-auth-jdbc supports PostgreSQL, MariaDB/MySQL and H2"));
  }
}
