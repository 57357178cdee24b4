package io.blnk.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command, in-process, against H2 and the machine's PostgreSQL: outputs and exit codes. */
final class CliTest {

  private static final String MASTER = "Cli-test-master-key-0123456789-abcdefghijKLMN";
  private static final String DB_PASSWORD = "not-a-real-password-4711";
  private static final Pattern NATIVE_KEY = Pattern.compile("blnk_[0-9A-Za-z]{49}");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> DATABASES = new ArrayList<>();

  /** Everything any command printed, and the secrets each printed on purpose. */
  private final StringBuilder allOutput = new StringBuilder();

  record Result(int code, String out, String err) {
    JsonNode json() throws Exception {
      return MAPPER.readTree(out);
    }
  }

  @AfterAll
  static void dropDatabases() {
    DATABASES.forEach(TestPostgres::dropDatabase);
  }

  private static String url(String db) {
    if (db.equals("h2")) {
      return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }
    String name = TestPostgres.createDatabase("blnk_cli");
    DATABASES.add(name);
    return TestPostgres.url(name);
  }

  private Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = BlnkAuthCli.run(env, new PrintWriter(out), new PrintWriter(err), args);
    allOutput.append(out).append(err);
    return new Result(code, out.toString(), err.toString());
  }

  private static Map<String, String> env(String url) {
    Map<String, String> env = new HashMap<>();
    env.put(BlnkAuthCli.ENV_JDBC_URL, url);
    env.put(BlnkAuthCli.ENV_DB_PASSWORD, DB_PASSWORD);
    env.put("BLNK_SERVER_SECRET_KEY", MASTER);
    return env;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void migrateCreatesTheTableAndSaysItsVersion(String db) throws Exception {
    Map<String, String> env = env(url(db));
    Result r = run(env, "migrate");
    assertThat(r.code()).as(r.err()).isZero();
    int latest = io.blnk.auth.jdbc.JdbcKeyStore.latestSchemaVersion();
    assertThat(latest).isGreaterThanOrEqualTo(2); // V2 added the owner locks
    assertThat(r.out()).contains("Table blnk_api_keys is at schema version " + latest + ".");
    Result again = run(env, "migrate", "--json");
    assertThat(again.code()).isZero();
    assertThat(again.json().get("schema_version").asInt()).isEqualTo(latest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void keysCanBeCreatedListedShownRotatedAndRevoked(String db) throws Exception {
    Map<String, String> env = env(url(db));
    Result created =
        run(env, "keys", "create", "--owner", "team-a", "--name", "ci", "--scope", "ledgers:read,balances:*", "--expires-in", "30d", "--json");
    assertThat(created.code()).as(created.err()).isZero();
    JsonNode c = created.json();
    String key = c.get("key").asText();
    String id = c.get("api_key_id").asText();
    assertThat(key).matches(NATIVE_KEY);
    assertThat(c.get("owner_id").asText()).isEqualTo("team-a");
    assertThat(c.get("scopes").toString()).isEqualTo("[\"ledgers:read\",\"balances:*\"]");

    Result table = run(env, "keys", "create", "--owner", "team-a", "--name", "people", "--scope", "ledgers:read", "--expires-at", "2099-01-01T00:00:00Z");
    assertThat(table.code()).isZero();
    assertThat(table.out()).containsPattern("key: +blnk_[0-9A-Za-z]{49}");
    assertThat(table.err()).contains("store the key now");
    String secondKey = firstKey(table.out());

    Result list = run(env, "keys", "list", "--owner", "team-a");
    assertThat(list.code()).isZero();
    assertThat(list.out()).startsWith("API_KEY_ID").contains(id).contains("active").doesNotContain(key).doesNotContain(secondKey);
    Result listJson = run(env, "keys", "list", "--owner", "team-a", "--json");
    assertThat(listJson.json()).hasSize(2);
    assertThat(listJson.json().get(0).has("key")).isFalse();

    Result show = run(env, "keys", "show", id, "--json");
    assertThat(show.code()).isZero();
    assertThat(show.json().get("name").asText()).isEqualTo("ci");
    assertThat(show.out()).doesNotContain(key).doesNotContain("argon2");

    Result rotated = run(env, "keys", "rotate", id, "--grace", "1h", "--json");
    assertThat(rotated.code()).as(rotated.err()).isZero();
    String newKey = rotated.json().get("key").asText();
    assertThat(newKey).matches(NATIVE_KEY).isNotEqualTo(key);
    assertThat(rotated.json().get("scopes").toString()).isEqualTo("[\"ledgers:read\",\"balances:*\"]");
    Instant oldExpiry = Instant.parse(run(env, "keys", "show", id, "--json").json().get("expires_at").asText());
    assertThat(oldExpiry).isBefore(Instant.now().plus(Duration.ofHours(2)));

    Result revoked = run(env, "keys", "revoke", id);
    assertThat(revoked.code()).isZero();
    assertThat(revoked.out()).startsWith("Revoked " + id);
    assertThat(run(env, "keys", "show", id, "--json").json().get("status").asText()).isEqualTo("revoked");
    assertThat(run(env, "keys", "revoke", id).code()).isZero(); // idempotent

    // No secret but the keys just created, each only in its own command's output.
    assertNoSecretLeaked(List.of(key, secondKey, newKey), url(env));
  }

  private static String url(Map<String, String> env) {
    return env.get(BlnkAuthCli.ENV_JDBC_URL);
  }

  private static String firstKey(String text) {
    Matcher m = NATIVE_KEY.matcher(text);
    assertThat(m.find()).isTrue();
    return m.group();
  }

  /** Each created key appears exactly once in everything printed; no master key, password or hash. */
  private void assertNoSecretLeaked(List<String> createdKeys, String url) throws Exception {
    String all = allOutput.toString();
    for (String k : createdKeys) {
      assertThat(all.split(Pattern.quote(k), -1)).as("times printed").hasSize(2);
    }
    assertThat(all).doesNotContain(MASTER).doesNotContain(DB_PASSWORD).doesNotContain("$argon2").doesNotContain("$2a$");
    // A created key holds its lookup id; apart from those, no lookup id or hash is ever printed.
    for (String k : createdKeys) {
      all = all.replace(k, "<created key>");
    }
    java.util.Properties credentials = new java.util.Properties();
    credentials.setProperty("password", DB_PASSWORD); // as the CLI connected
    try (Connection c = DriverManager.getConnection(url, credentials);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT lookup_id, key_hash FROM blnk_api_keys")) {
      while (rs.next()) {
        assertThat(all).doesNotContain(rs.getString(1)).doesNotContain(rs.getString(2));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void failuresExitNonZeroWithOneClearLine(String db) {
    Map<String, String> env = env(url(db));
    Result badScope = run(env, "keys", "create", "--owner", "o", "--name", "n", "--scope", "ledger:read", "--expires-in", "1d");
    assertThat(badScope.code()).isEqualTo(1);
    assertThat(badScope.err()).startsWith("blnk-auth: APIKEY_INVALID").contains("ledger").doesNotContain("\tat ");
    Result unknown = run(env, "keys", "show", "api_key_879f0ecb-e29f-4137-801b-1048366381db");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no key api_key_879f0ecb");
    Result notFound = run(env, "keys", "revoke", "api_key_879f0ecb-e29f-4137-801b-1048366381db");
    assertThat(notFound.code()).isEqualTo(1);
    assertThat(notFound.err()).contains("APIKEY_NOT_FOUND");
    Result noExpiry = run(env, "keys", "create", "--owner", "o", "--name", "n", "--scope", "ledgers:read");
    assertThat(noExpiry.code()).isEqualTo(1);
    assertThat(noExpiry.err()).contains("--expires-at");
    assertThat(run(env, "keys", "list").code()).isEqualTo(2); // usage: --owner is required
    assertThat(allOutput.toString()).doesNotContain(MASTER).doesNotContain(DB_PASSWORD);
  }

  @Test
  void withoutADatabaseEveryDatabaseCommandSaysSo() {
    Map<String, String> env = Map.of();
    for (String[] args :
        List.of(new String[] {"migrate"}, new String[] {"keys", "list", "--owner", "o"}, new String[] {"keys", "show", "api_key_879f0ecb-e29f-4137-801b-1048366381db"})) {
      Result r = run(env, args);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("no database: give --jdbc-url or set BLNK_AUTH_JDBC_URL");
    }
  }

  @Test
  void anUnreachableDatabaseIsAClearFailure() {
    Result r = run(Map.of(), "migrate", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("blnk-auth: the database failed during");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args :
        List.of(
            new String[] {"--help"},
            new String[] {"migrate", "--help"},
            new String[] {"keys", "--help"},
            new String[] {"keys", "create", "--help"},
            new String[] {"keys", "list", "--help"},
            new String[] {"keys", "show", "--help"},
            new String[] {"keys", "revoke", "--help"},
            new String[] {"keys", "rotate", "--help"},
            new String[] {"import-blnk", "--help"},
            new String[] {"master-key", "generate", "--help"},
            new String[] {"doctor", "--help"})) {
      Result r = run(Map.of(), args);
      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).contains("Usage: blnk-auth");
    }
  }

  @Test
  void masterKeyGenerateMakesAStrongKeyEachTime() throws Exception {
    Result a = run(Map.of(), "master-key", "generate");
    Result b = run(Map.of(), "master-key", "generate", "--json");
    assertThat(a.code()).isZero();
    assertThat(a.out().strip()).matches("[A-Za-z0-9_-]{64}");
    assertThat(b.json().get("secret_key").asText()).matches("[A-Za-z0-9_-]{64}").isNotEqualTo(a.out().strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void doctorPassesAHealthyDeploymentAndFailsAWeakMasterKey(String db) throws Exception {
    Map<String, String> env = env(url(db));
    Result before = run(env, "doctor");
    assertThat(before.out()).contains("schema").contains("not migrated");
    assertThat(before.code()).isEqualTo(1);
    assertThat(run(env, "migrate").code()).isZero();
    Result ok = run(env, "doctor", "--json");
    assertThat(ok.code()).as(ok.out()).isZero();
    JsonNode checks = ok.json().get("checks");
    Map<String, String> status = new HashMap<>();
    checks.forEach(c -> status.put(c.get("check").asText(), c.get("status").asText()));
    assertThat(status).containsEntry("master key", "OK").containsEntry("database", "OK").containsEntry("schema", "OK").containsEntry("feed", "OK").containsEntry("clock", "OK");
    String feed = checks.findValues("detail").get(3).asText();
    assertThat(feed).startsWith(db.equals("postgresql") ? "notify mode" : "poll mode");

    env.put("BLNK_SERVER_SECRET_KEY", "weak-weak-weak");
    Result weak = run(env, "doctor");
    assertThat(weak.code()).isEqualTo(1);
    assertThat(weak.out()).containsPattern("master key +FAIL +the master key is too short");
    assertThat(weak.err()).contains("doctor found problems");
    assertThat(allOutput.toString()).doesNotContain("weak-weak-weak").doesNotContain(MASTER).doesNotContain(DB_PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void importBlnkCopiesABlnkCoreTableIntoEitherDatabase(String db) throws Exception {
    String source = TestPostgres.createDatabase("blnk_cli_src");
    DATABASES.add(source);
    String sourceUrl = TestPostgres.url(source);
    TestPostgres.execute(sourceUrl, "CREATE SCHEMA blnk");
    BlnkCoreTable.migrate(sourceUrl, "1741695343.sql");
    BlnkCoreTable.migrate(sourceUrl, "1770461873.sql");
    String key = BlnkCoreTable.newKey();
    Instant now = Instant.now();
    List<BlnkCoreTable.Row> rows = new ArrayList<>();
    String hash = BlnkCoreTable.bcrypt(key);
    rows.add(new BlnkCoreTable.Row(BlnkCoreTable.apiKeyId(), key, hash, key.substring(0, 16), "good", "team-a", List.of("ledgers:read"), now.plus(Duration.ofDays(9)), now, false, null));
    String other = BlnkCoreTable.newKey();
    BlnkCoreTable.Row bad = new BlnkCoreTable.Row(BlnkCoreTable.apiKeyId(), other, BlnkCoreTable.fillerHash(hash, 1), other.substring(0, 16), "bad", "team-a", List.of("ledger:read"), now.plus(Duration.ofDays(9)), now, false, null);
    rows.add(bad);
    BlnkCoreTable.insert(sourceUrl, rows, true);

    Map<String, String> env = env(url(db));
    Result r = run(env, "import-blnk", "--from", sourceUrl);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Read 2 rows: 1 imported, 0 already present, 0 revoked since, 1 skipped");
    assertThat(r.out()).contains(bad.apiKeyId()).contains("INVALID_SCOPE").contains("\"ledger:read\"");
    assertThat(r.err()).contains("read 2 of 2 rows");
    Result again = run(env, "import-blnk", "--from", sourceUrl, "--json", "--quiet");
    assertThat(again.json().get("imported").asInt()).isZero();
    assertThat(again.json().get("already_present").asInt()).isEqualTo(1);
    assertThat(again.err()).isEmpty();
    Result list = run(env, "keys", "list", "--owner", "team-a", "--json");
    assertThat(list.json().get(0).get("key_prefix").asText()).isEqualTo(key.substring(0, 8));
    assertThat(allOutput.toString()).doesNotContain(key).doesNotContain(key.substring(0, 16)).doesNotContain("$2a$");

    Result unreachable = run(env, "import-blnk", "--from", "jdbc:postgresql://127.0.0.1:1/blnk?password=hunter2&connectTimeout=2");
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("cannot connect to the Blnk Core database jdbc:postgresql://127.0.0.1:1/blnk").doesNotContain("hunter2");
  }
}
