package io.blnk.auth.cli;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.store.StoreUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code blnk-auth}: the operator CLI. Exit codes: 0 success, 1 failure (one line on standard
 * error saying why), 2 bad usage. Reads {@code blnk.json} and the environment as the servers do.
 *
 * <p>An application entry point ({@link #main}), not an API: an instance runs one command line on
 * one thread.
 */
@Command(
    name = "blnk-auth",
    mixinStandardHelpOptions = true,
    version = "blnk-auth 0.1.0",
    description = "Operate blnk-auth: schema, keys, Blnk Core import, master key, health checks.",
    subcommands = {
      MigrateCommand.class,
      KeysCommand.class,
      ImportBlnkCommand.class,
      MasterKeyCommand.class,
      DoctorCommand.class
    })
public final class BlnkAuthCli implements Runnable {

  /** The database URL, when {@code --jdbc-url} is not given. */
  static final String ENV_JDBC_URL = "BLNK_AUTH_JDBC_URL";
  /** The database user, when {@code --db-user} is not given. */
  static final String ENV_DB_USER = "BLNK_AUTH_DB_USER";
  /** The database password (environment only, so it stays out of shell history). */
  static final String ENV_DB_PASSWORD = "BLNK_AUTH_DB_PASSWORD";
  /** The key table, when {@code --table} is not given. */
  static final String ENV_TABLE = "BLNK_AUTH_TABLE";

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "blnk.json to read (default: ./blnk.json when present).")
  Path config;

  @Option(
      names = "--jdbc-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "JDBC URL of the key database (default: $" + ENV_JDBC_URL + ").")
  String jdbcUrl;

  @Option(
      names = "--db-user",
      scope = ScopeType.INHERIT,
      paramLabel = "USER",
      description = "Database user (default: $" + ENV_DB_USER + "; password: $" + ENV_DB_PASSWORD + ").")
  String dbUser;

  @Option(
      names = "--table",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Key table, name or schema.name (default: $" + ENV_TABLE + " or blnk_api_keys).")
  String table;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts.")
  boolean json;

  final Map<String, String> env;
  final PrintWriter out;
  final PrintWriter err;
  final SecureRandom random = new SecureRandom();

  BlnkAuthCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = Objects.requireNonNull(env, "env");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
  }

  /**
   * Runs the CLI and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(System.getenv(), out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line; returns the exit code. */
  static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    BlnkAuthCli root = new BlnkAuthCli(env, out, err);
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("blnk-auth: " + describe(e));
          err.flush();
          return 1;
        });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** One line for a failure; never a stack trace, and never data the driver quoted. */
  static String describe(Exception e) {
    if (e instanceof CliException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
      return e.getMessage();
    }
    if (e instanceof StoreUnavailableException s) {
      return "the database failed during " + s.operation() + ": " + s.getMessage();
    }
    if (e instanceof io.blnk.auth.KeyServiceException k) {
      return k.code() + ": " + k.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "give a command: migrate, keys, import-blnk, master-key or doctor");
  }

  // ------------------------------------------------------------------ shared settings

  /** The key database, from {@code --jdbc-url} or the environment. */
  DataSource dataSource() {
    String url = jdbcUrl != null ? jdbcUrl : env.get(ENV_JDBC_URL);
    if (url == null || url.isBlank()) {
      throw new CliException(
          "no database: give --jdbc-url or set " + ENV_JDBC_URL + " (e.g. jdbc:postgresql://host/db)");
    }
    String user = dbUser != null ? dbUser : env.get(ENV_DB_USER);
    return new UrlDataSource(url, user, env.get(ENV_DB_PASSWORD));
  }

  /** The key table's name. */
  String tableName() {
    if (table != null) {
      return table;
    }
    String t = env.get(ENV_TABLE);
    return t == null || t.isBlank() ? JdbcKeyStore.DEFAULT_TABLE_NAME : t;
  }

  /** The settings of blnk.json and the environment. */
  ServerConfig serverConfig() {
    return ServerConfig.load(config, env);
  }

  /**
   * A BlnkAuth on the key table, acting as the master key: the CLI is an operator's direct access
   * to the database. Its own master key is random and never leaves the process.
   */
  BlnkAuth auth(JdbcKeyStore store, boolean allowNonExpiring) {
    byte[] bytes = new byte[48];
    random.nextBytes(bytes);
    return BlnkAuth.builder()
        .store(store)
        .masterKey(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
        .allowNonExpiringKeys(allowNonExpiring)
        .listener(io.blnk.auth.AuthListener.none())
        .random(random)
        .build();
  }

  /** The key store (migrated unless {@code migrate} is false). */
  JdbcKeyStore store(boolean migrate) {
    return JdbcKeyStore.builder(dataSource()).tableName(tableName()).migrate(migrate).build();
  }
}
