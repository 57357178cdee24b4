package io.blnk.auth.spring;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.BlnkCoreHasher;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.servlet.BlnkConfig;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of blnk-auth: a {@link JdbcKeyStore} on the application's {@link DataSource},
 * the {@link BlnkAuth}, and in a servlet web application the {@link BlnkAuthFilter} registered for
 * every request (async-supported) after the method-override filters and after Spring Security's
 * filter chain, which decides the request itself when {@link
 * io.blnk.auth.spring.security.BlnkSecurityAutoConfiguration} is active. Active when a {@code
 * DataSource} bean exists and {@code blnk.auth.enabled} is not {@code false}; every bean backs
 * off when the application defines its own.
 *
 * <p>Instantiated by Spring, which calls each bean method once at start-up; not meant to be
 * called by applications.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
    })
@ConditionalOnClass({BlnkAuth.class, JdbcKeyStore.class})
@ConditionalOnProperty(prefix = "blnk.auth", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(BlnkAuthProperties.class)
public final class BlnkAuthAutoConfiguration {

  /**
   * The registered filter's default order: after {@code HiddenHttpMethodFilter} (-10000) and
   * {@code FormContentFilter} (-9900), and after Spring Security's filter chain (-100), inside
   * which the starter decides requests when Spring Security is present (before its authorization).
   */
  public static final int DEFAULT_FILTER_ORDER = -90;

  /** The name of the filter registration; define a bean of this name to register it yourself. */
  public static final String FILTER_REGISTRATION_BEAN_NAME = "blnkAuthFilterRegistration";

  /** The class whose presence means the optional bcrypt dependency is on the class path. */
  static final String BCRYPT_CLASS = "org.springframework.security.crypto.bcrypt.BCrypt";

  /**
   * The key store on the application's data source; migrated at start-up unless {@code
   * blnk.auth.jdbc.migrate=false}.
   *
   * @param dataSource the application's data source
   * @param properties the {@code blnk.auth.*} settings ({@code blnk.auth.jdbc.*} apply)
   * @return the store, closed by Spring when the context closes
   * @throws IllegalArgumentException if a {@code blnk.auth.jdbc.*} setting is invalid or the
   *     database is not supported
   * @throws IllegalStateException if the database records a newer schema version than this
   *     library knows
   * @throws io.blnk.auth.store.StoreUnavailableException if the database could not be reached or
   *     migrated
   */
  @Bean
  @ConditionalOnMissingBean(KeyStore.class)
  public JdbcKeyStore blnkKeyStore(DataSource dataSource, BlnkAuthProperties properties) {
    return JdbcKeyStore.builder(dataSource)
        .tableName(properties.getJdbc().getTableName())
        .migrate(properties.getJdbc().isMigrate())
        .pollInterval(properties.getJdbc().getPollInterval())
        .catchUpInterval(properties.getJdbc().getCatchUpInterval())
        .statementTimeout(properties.getJdbc().getStatementTimeout())
        .build();
  }

  /**
   * Argon2id with the library's default parameters; with {@code blnk.auth.accept-blnk-core-keys}
   * also verifying Blnk Core's bcrypt hashes and upgrading them to Argon2id on first use.
   *
   * @param properties the {@code blnk.auth.*} settings ({@code accept-blnk-core-keys} applies)
   * @param resources where the class loader that must see bcrypt comes from
   * @return the hasher for new and presented keys
   * @throws IllegalStateException if Blnk Core keys are accepted but {@code
   *     org.springframework.security:spring-security-crypto} is not on the class path
   */
  @Bean
  @ConditionalOnMissingBean
  public KeyHasher blnkKeyHasher(BlnkAuthProperties properties, ResourceLoader resources) {
    KeyHasher argon2id = KeyHasher.argon2id();
    if (!properties.isAcceptBlnkCoreKeys()) {
      return argon2id;
    }
    if (!ClassUtils.isPresent(BCRYPT_CLASS, resources.getClassLoader())) {
      throw new IllegalStateException(
          "blnk.auth.accept-blnk-core-keys=true needs bcrypt to verify Blnk Core's keys: add the"
              + " dependency org.springframework.security:spring-security-crypto, or define a"
              + " KeyHasher bean that verifies bcrypt");
    }
    return BlnkCoreHasher.upgradingTo(argon2id);
  }

  /**
   * Blnk's resources plus {@code blnk.auth.resources}; the resources in {@code
   * blnk.auth.master-only-resources} are master-only, and only those.
   *
   * @param properties the {@code blnk.auth.*} settings
   * @return the registry that scopes and routes name resources from
   * @throws IllegalArgumentException if a resource name breaks the scope grammar
   */
  @Bean
  @ConditionalOnMissingBean
  public ResourceRegistry blnkResourceRegistry(BlnkAuthProperties properties) {
    return BlnkAuthSettings.registry(properties);
  }

  /**
   * The library, configured by {@code blnk.auth.*}, {@code BLNK_SERVER_*} and {@code blnk.json};
   * events go to the slf4j listener and every {@link AuthListener} bean.
   *
   * @param properties the {@code blnk.auth.*} settings
   * @param store the key store bean
   * @param hasher the key hasher bean
   * @param registry the resource registry bean
   * @param listeners the application's {@link AuthListener} beans, called in their order
   * @param customizers the application's {@link BlnkAuthBuilderCustomizer} beans, applied in their
   *     order after the properties
   * @return the built library, closed by Spring when the context closes
   * @throws MasterKeyException in secure mode without a strong master key
   * @throws IllegalArgumentException if a {@code blnk.auth.*} value is invalid
   */

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public BlnkAuth blnkAuth(
      BlnkAuthProperties properties,
      KeyStore store,
      KeyHasher hasher,
      ResourceRegistry registry,
      ObjectProvider<AuthListener> listeners,
      ObjectProvider<BlnkAuthBuilderCustomizer> customizers) {
    BlnkConfig config = BlnkAuthSettings.blnkConfig(properties, System.getenv());
    BlnkAuth.Builder builder = BlnkAuth.builder().registry(registry);
    BlnkAuthSettings.applySecurity(builder, properties, config);
    BlnkAuthSettings.applyValues(builder, properties);
    AuthListener listener = AuthListener.slf4j();
    for (AuthListener l : listeners.orderedStream().toList()) {
      listener = listener.and(l);
    }
    builder.listener(listener);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    // each option is set once: a customizer may have decorated the store or the hasher
    unlessCustomized(() -> builder.store(store), "store");
    unlessCustomized(() -> builder.hasher(hasher), "hasher");
    try {
      return builder.build();
    } catch (IllegalStateException e) {
      if (e.getMessage() != null && e.getMessage().contains("master key")) {
        throw new MasterKeyException(e.getMessage(), e);
      }
      throw e;
    }
  }

  /** Sets an option unless a customizer did (each builder option may be set once). */
  private static void unlessCustomized(Runnable set, String option) {
    try {
      set.run();
    } catch (IllegalStateException e) {
      if (!(option + " is already set").equals(e.getMessage())) {
        throw e;
      }
    }
  }

  /** The filter, its gate and its registration, in a servlet web application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({Filter.class, BlnkAuthFilter.class, FilterRegistrationBean.class})
  static class ServletConfiguration {

    /**
     * The filter: public paths, routes, id prefixes, tag targets, body limits, the console, trusted
     * proxies, the leak-report endpoint, the API base path ({@code blnk.auth.api-base-path}, else
     * {@code spring.mvc.servlet.path}) and, given a {@link io.blnk.auth.KeyEventLog} bean (such as
     * a {@code JdbcAuditListener}), {@code GET /api-keys/{id}/events}.
     */
    @Bean
    @ConditionalOnMissingBean
    BlnkAuthFilter blnkAuthFilter(
        BlnkAuth auth,
        BlnkAuthProperties properties,
        Environment env,
        ObjectProvider<io.blnk.auth.KeyEventLog> events) {
      BlnkAuthFilter.Builder b = BlnkAuthFilter.builder(auth);
      BlnkAuthSettings.applyFilter(b, properties, apiBasePath(properties, env));
      events.ifUnique(b::keyEvents); // e.g. a JdbcAuditListener bean: GET /api-keys/{id}/events
      return b.build();
    }

    /** Decides each request once, in Spring Security's chain or in the servlet filter. */
    @Bean
    @ConditionalOnMissingBean
    BlnkRequestGate blnkRequestGate(
        BlnkAuthFilter filter,
        BlnkAuthProperties properties,
        Environment env,
        ObjectProvider<BlnkDecisionObserver> observer) {
      return new BlnkRequestGate(
          filter, publicManagementPaths(properties, env), observer.getIfUnique());
    }

    /** The servlet filter registration: every path, async-supported, {@code blnk.auth.filter-order}. */
    @Bean(name = FILTER_REGISTRATION_BEAN_NAME)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION_BEAN_NAME)
    FilterRegistrationBean<Filter> blnkAuthFilterRegistration(
        BlnkRequestGate gate, BlnkAuthProperties properties) {
      FilterRegistrationBean<Filter> registration =
          new FilterRegistrationBean<>(new BlnkServletFilter(gate));
      registration.setName("blnkAuthFilter");
      registration.setOrder(properties.getFilterOrder());
      registration.setAsyncSupported(true);
      registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
      registration.addUrlPatterns("/*");
      return registration;
    }

    /**
     * Keeps Spring Boot from registering the {@link BlnkAuthFilter} bean a second time on its own:
     * it runs through the gate only.
     */
    @Bean
    FilterRegistrationBean<BlnkAuthFilter> blnkAuthFilterBeanRegistration(BlnkAuthFilter filter) {
      FilterRegistrationBean<BlnkAuthFilter> registration = new FilterRegistrationBean<>(filter);
      registration.setEnabled(false);
      return registration;
    }
  }

  /**
   * The API root inside the context: {@code blnk.auth.api-base-path}, else the DispatcherServlet's
   * path ({@code spring.mvc.servlet.path}) when it is not {@code /}; {@code ""} for the root.
   */
  static String apiBasePath(BlnkAuthProperties properties, Environment env) {
    String base = properties.getApiBasePath();
    if (base == null) {
      base = env.getProperty("spring.mvc.servlet.path", "");
    }
    base = base.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    if (!base.isEmpty() && !base.startsWith("/")) {
      base = "/" + base;
    }
    return base;
  }

  /** {@code <management base path>/<id>} for each public Actuator endpoint, on the main port. */
  static List<String> publicManagementPaths(BlnkAuthProperties properties, Environment env) {
    String port = env.getProperty("management.server.port");
    String serverPort = env.getProperty("server.port", "8080");
    if (port != null && !port.equals(serverPort)) {
      return List.of(); // Actuator runs on its own port, outside this filter
    }
    String base = env.getProperty("management.endpoints.web.base-path", "/actuator");
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    List<String> paths = new ArrayList<>();
    for (String id : properties.getManagement().getPublicEndpoints()) {
      paths.add(base + "/" + id);
    }
    return paths;
  }

  @Override
  public String toString() {
    return "BlnkAuthAutoConfiguration";
  }
}
