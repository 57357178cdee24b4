package io.blnk.auth.servlet;

import io.blnk.auth.store.KeyStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;

/**
 * Makes the {@link KeyStore} of a {@link BlnkAuthFilter} configured by {@code web.xml}: the
 * filter's {@code storeFactory} init parameter names a public class implementing this interface
 * with a public no-argument constructor. The store is closed when the filter is destroyed.
 *
 * <p>Without {@code storeFactory} the filter uses {@link #jdbc()}.
 *
 * <p>The filter calls {@link #create} once, from its {@code init}, on the container's thread; an
 * implementation need not be thread-safe.
 */

public interface KeyStoreFactory {

  /**
   * Creates the store.
   *
   * @param config the filter's configuration, for init parameters and the servlet context
   * @return a store the filter owns from now on
   * @throws ServletException if the store cannot be created; the filter then fails to start
   */
  KeyStore create(FilterConfig config) throws ServletException;

  /**
   * The default factory: a {@code io.blnk.auth.jdbc.JdbcKeyStore} (blnk-auth-jdbc must be on the
   * class path) on the {@code javax.sql.DataSource} found under the JNDI name in init parameter
   * {@code dataSource} (also tried under {@code java:comp/env/}), or in the servlet-context
   * attribute named by {@code dataSourceAttribute}. Optional init parameters: {@code tableName},
   * {@code pollInterval} (an ISO-8601 duration such as {@code PT1S}) and {@code migrate} ({@code
   * true} by default).
   *
   * @return a new factory of JDBC stores; it fails with a {@link ServletException} when
   *     blnk-auth-jdbc is missing or no data source is found
   */

  static KeyStoreFactory jdbc() {
    return new JdbcStoreFactory();
  }
}
