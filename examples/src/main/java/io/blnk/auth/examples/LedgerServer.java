package io.blnk.auth.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.servlet.BlnkConfig;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The example: a Blnk-style ledger API on embedded Jetty 12, secured by blnk-auth.
 *
 * <p>Defaults: port 5001 on every interface (as Blnk Core, which listens on {@code ":" + port}),
 * secure mode on, an H2 file database under {@code ./data}. Environment: {@code BLNK_SERVER_HOST}
 * (the address to bind, e.g. {@code 127.0.0.1}), {@code BLNK_SERVER_PORT}, {@code
 * BLNK_SERVER_SECURE}, {@code BLNK_SERVER_SECRET_KEY}, {@code BLNK_DATA_SOURCE_DNS} (a {@code
 * postgres://user:pass@host:port/db} URL or any JDBC URL), {@code BLNK_DATA_DIR}, {@code
 * BLNK_CONSOLE_ENABLED} ({@code true} serves the key-management console at {@code
 * /blnk-auth/console}). A {@code
 * blnk.json} in the working directory is read first; the environment wins.
 *
 * <p>Every error, Jetty's own included, answers Blnk's JSON envelope ({@link ContainerErrors}); no
 * {@code Server} header is sent.
 */
public final class LedgerServer implements AutoCloseable {

  /** Blnk's own default port. */
  static final int DEFAULT_PORT = 5001;
  /** The environment variable naming the address to bind; unset or blank binds every interface. */
  static final String ENV_HOST = "BLNK_SERVER_HOST";

  /** {@code true} turns on the key-management console at {@code /blnk-auth/console}. */
  static final String ENV_CONSOLE_ENABLED = "BLNK_CONSOLE_ENABLED";

  private final Server jetty;
  private final BlnkAuth auth;
  private final JdbcKeyStore store;
  private final HikariDataSource dataSource;

  private LedgerServer(Server jetty, BlnkAuth auth, JdbcKeyStore store, HikariDataSource ds) {
    this.jetty = jetty;
    this.auth = auth;
    this.store = store;
    this.dataSource = ds;
  }

  /** Starts the server as configured by {@code blnk.json} and the environment. */
  public static void main(String[] args) throws Exception {
    LedgerServer server = start(System.getenv(), Path.of("blnk.json"));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "blnk-example-shutdown"));
    server.jetty.join();
  }

  /** Starts a server; the caller closes it. */
  static LedgerServer start(Map<String, String> env, Path blnkJson) throws Exception {
    Path dataDir = Path.of(env.getOrDefault("BLNK_DATA_DIR", "data"));
    BlnkConfig config = config(env, blnkJson);
    if (config.secure() && !config.hasSecretKey()) {
      Map<String, String> withKey = new HashMap<>(env);
      withKey.put(BlnkConfig.ENV_SECRET_KEY, MasterKeyFile.loadOrCreate(dataDir));
      config = config(withKey, blnkJson);
    }
    HikariDataSource dataSource = DataSources.open(env.get("BLNK_DATA_SOURCE_DNS"), dataDir);
    JdbcKeyStore store = null;
    BlnkAuth auth = null;
    try {
      store = JdbcKeyStore.builder(dataSource).build();
      auth = config.applyTo(BlnkAuth.builder()).store(store).build();
      Server jetty =
          jetty(
              host(env),
              config.port().orElse(DEFAULT_PORT),
              BlnkAuthFilter.builder(auth)
                  .tagTargets("/transactions/bulk", "/transactions/*/meta_data") // Blnk's bulk shape
                  .console(consoleEnabled(env))
                  .build(),
              new LedgerServlet(new Records(dataSource)));
      jetty.start();
      LedgerServer server = new LedgerServer(jetty, auth, store, dataSource);
      System.out.println(
          "blnk-auth example ledger listening on http://"
              + host(env).map(h -> h.contains(":") ? "[" + h + "]" : h).orElse("localhost")
              + ":"
              + server.port()
              + (config.secure() ? " (secure mode)" : " (SECURE MODE OFF)"));
      if (consoleEnabled(env)) {
        System.out.println(
            "key-management console: http://localhost:" + server.port() + "/blnk-auth/console/");
      }
      return server;
    } catch (Exception | Error e) {
      if (auth != null) {
        auth.close();
      }
      if (store != null) {
        store.close();
      }
      dataSource.close();
      throw e;
    }
  }

  private static BlnkConfig config(Map<String, String> env, Path blnkJson) throws IOException {
    return Files.exists(blnkJson) ? BlnkConfig.load(blnkJson, env) : BlnkConfig.fromEnvironment(env);
  }

  /** The address the server is bound to, or null for every interface. */
  String host() {
    return ((ServerConnector) jetty.getConnectors()[0]).getHost();
  }

  private static boolean consoleEnabled(Map<String, String> env) {
    return "true".equalsIgnoreCase(env.getOrDefault(ENV_CONSOLE_ENABLED, "false").trim());
  }

  /** The port the server listens on. */
  int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** {@code BLNK_SERVER_HOST}, or empty for every interface. */
  static Optional<String> host(Map<String, String> env) {
    String host = env.get(ENV_HOST);
    return host == null || host.isBlank() ? Optional.empty() : Optional.of(host.trim());
  }

  static Server jetty(Optional<String> host, int port, BlnkAuthFilter filter, LedgerServlet servlet) {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    host.ifPresent(connector::setHost);
    connector.setPort(port);
    server.addConnector(connector);
    server.setErrorHandler(new ContainerErrors.ServerErrors());
    ServletContextHandler context = new ServletContextHandler();
    context.setErrorHandler(new ContainerErrors.ServletErrors());
    context.setContextPath("/");
    FilterHolder filterHolder = new FilterHolder(filter);
    filterHolder.setAsyncSupported(true);
    context.addFilter(filterHolder, "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder servletHolder = new ServletHolder(servlet);
    servletHolder.setAsyncSupported(true);
    context.addServlet(servletHolder, "/*");
    server.setHandler(context);
    return server;
  }

  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      System.err.println("stopping Jetty: " + e);
    }
    auth.close();
    store.close();
    dataSource.close();
  }
}
