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
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The example: a Blnk-style ledger API on embedded Jetty 12, secured by blnk-auth.
 *
 * <p>Defaults: port 5001, secure mode on, an H2 file database under {@code ./data}. Environment:
 * {@code BLNK_SERVER_PORT}, {@code BLNK_SERVER_SECURE}, {@code BLNK_SERVER_SECRET_KEY}, {@code
 * BLNK_DATA_SOURCE_DNS} (a {@code postgres://user:pass@host:port/db} URL or any JDBC URL), {@code
 * BLNK_DATA_DIR}, {@code BLNK_CONSOLE_ENABLED} ({@code true} serves the key-management console at
 * {@code /blnk-auth/console}). A {@code blnk.json} in the working directory is read first; the environment
 * wins.
 */
public final class LedgerServer implements AutoCloseable {

  /** Blnk's own default port. */
  static final int DEFAULT_PORT = 5001;

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
              config.port().orElse(DEFAULT_PORT),
              BlnkAuthFilter.builder(auth)
                  .console(consoleEnabled(env))
                  .build(),
              new LedgerServlet(new Records(dataSource)));
      jetty.start();
      LedgerServer server = new LedgerServer(jetty, auth, store, dataSource);
      System.out.println(
          "blnk-auth example ledger listening on http://localhost:" + server.port()
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

  private static boolean consoleEnabled(Map<String, String> env) {
    return "true".equalsIgnoreCase(env.getOrDefault(ENV_CONSOLE_ENABLED, "false").trim());
  }

  /** The port the server listens on. */
  int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  static Server jetty(int port, BlnkAuthFilter filter, LedgerServlet servlet) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(servlet), "/*");
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
