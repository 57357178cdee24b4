package io.blnk.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.jdbc.BlnkCoreHasher;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.servlet.BlnkAuthFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The adoption story end to end on the machine's PostgreSQL: Blnk Core's own DDL, 10,000 rows
 * filled the way Blnk fills them, {@code blnk-auth import-blnk}, then the imported keys through
 * the servlet filter in a real Jetty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class BlnkCoreImportPostgresTest {

  private static final int TOTAL = 10_000;
  /** Argon2id with light parameters: the upgrade of 300 keys is what is tested, not its cost. */
  private static final KeyHasher ARGON2ID = KeyHasher.argon2id(4096, 1, 1);
  private static final int SAMPLE_VALID = 220;
  private static final int SAMPLE_REVOKED = 40;
  private static final int SAMPLE_EXPIRED = 40;
  private static final int PREFIXLESS = 60;
  private static final int BAD_SCOPE = 50;
  private static final int DUPLICATES = 5;
  private static final List<List<String>> SCOPE_CHOICES =
      List.of(
          List.of("ledgers:read"),
          List.of("ledgers:read", "balances:write"),
          List.of("transactions:*"),
          List.of("*:read"),
          List.of("*:*"),
          List.of("accounts:delete", "identities:read"),
          List.of());
  private static final List<List<String>> BAD_SCOPES =
      List.of(
          List.of("ledger:read"),
          List.of("ledgers:read", "transactions:approve"),
          List.of("LEDGERS:read"),
          List.of("payments:*"),
          List.of("ledgers"));

  private final ObjectMapper mapper = new ObjectMapper();
  private String database;
  private String url;
  private final List<BlnkCoreTable.Row> valid = new ArrayList<>();
  private final List<BlnkCoreTable.Row> revoked = new ArrayList<>();
  private final List<BlnkCoreTable.Row> expired = new ArrayList<>();
  /** api_key_id → reason, for every row the import must skip. */
  private final Map<String, String> expectedSkips = new TreeMap<>();
  private JsonNode firstReport;
  private String firstProgress;

  @BeforeAll
  void fillBlnkCoreTable() throws Exception {
    database = TestPostgres.createDatabase("blnk_import");
    url = TestPostgres.url(database);
    TestPostgres.execute(url, "CREATE SCHEMA blnk");
    BlnkCoreTable.migrate(url, "1741695343.sql");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    // Rows from before Blnk's key_prefix migration: no prefix.
    String template = BlnkCoreTable.bcrypt(BlnkCoreTable.newKey());
    int filler = 0;
    List<BlnkCoreTable.Row> old = new ArrayList<>();
    for (int i = 0; i < PREFIXLESS; i++) {
      BlnkCoreTable.Row r = row(BlnkCoreTable.newKey(), BlnkCoreTable.fillerHash(template, filler++), List.of("ledgers:read"), now.plus(Duration.ofDays(90)), now.minus(Duration.ofDays(400)), false, null);
      old.add(r);
      expectedSkips.put(r.apiKeyId(), "NO_KEY_PREFIX");
    }
    BlnkCoreTable.insert(url, old, false);
    BlnkCoreTable.migrate(url, "1770461873.sql");

    // Real keys, bcrypt cost 10 each: the sample that goes through the filter.
    List<BlnkCoreTable.Row> real = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < SAMPLE_VALID + SAMPLE_REVOKED + SAMPLE_EXPIRED; i++) {
      indices.add(i);
    }
    List<String> keys = indices.stream().map(i -> BlnkCoreTable.newKey()).toList();
    List<String> hashes = keys.parallelStream().map(BlnkCoreTable::bcrypt).toList();
    for (int i = 0; i < keys.size(); i++) {
      List<String> scopes = SCOPE_CHOICES.get(i % SCOPE_CHOICES.size());
      BlnkCoreTable.Row r;
      if (i < SAMPLE_VALID) {
        r = row(keys.get(i), hashes.get(i), scopes, now.plus(Duration.ofDays(30 + i)), now.minus(Duration.ofDays(i)), false, null);
        valid.add(r);
      } else if (i < SAMPLE_VALID + SAMPLE_REVOKED) {
        // Half revoked with a time, half as a bare flag (Blnk's is_revoked without revoked_at).
        r = row(keys.get(i), hashes.get(i), scopes, now.plus(Duration.ofDays(30)), now.minus(Duration.ofDays(60)), true, i % 2 == 0 ? now.minus(Duration.ofDays(1)) : null);
        revoked.add(r);
      } else {
        r = row(keys.get(i), hashes.get(i), scopes, now.minus(Duration.ofMinutes(1 + i)), now.minus(Duration.ofDays(90)), false, null);
        expired.add(r);
      }
      real.add(r);
    }
    List<BlnkCoreTable.Row> rows = new ArrayList<>();
    // Interleave the sample with the rest, as a real table's history would.
    int rest = TOTAL - PREFIXLESS;
    int realAt = 0;
    for (int i = 0; i < rest; i++) {
      if (realAt < real.size() && i % 30 == 7) {
        rows.add(real.get(realAt++));
        continue;
      }
      String key = BlnkCoreTable.newKey();
      List<String> scopes;
      boolean bad = i % 150 == 11 && expectedSkips.size() < PREFIXLESS + BAD_SCOPE;
      scopes = bad ? BAD_SCOPES.get(i % BAD_SCOPES.size()) : SCOPE_CHOICES.get(i % SCOPE_CHOICES.size());
      BlnkCoreTable.Row r = row(key, BlnkCoreTable.fillerHash(template, filler++), scopes, now.plus(Duration.ofDays(365)), now.minus(Duration.ofHours(i)), i % 97 == 0, i % 97 == 0 ? now.minus(Duration.ofHours(1)) : null);
      if (bad) {
        expectedSkips.put(r.apiKeyId(), "INVALID_SCOPE");
      }
      rows.add(r);
    }
    while (realAt < real.size()) {
      rows.set(rows.size() - 1 - realAt * 3, real.get(realAt++));
    }
    // Keys whose key_prefix an earlier row already has (Blnk's key_prefix is not unique).
    for (int d = 0; d < DUPLICATES; d++) {
      BlnkCoreTable.Row first = rows.get(100 + d * 50);
      String clash = first.keyPrefix() + BlnkCoreTable.newKey().substring(16);
      int at = rows.size() - 1 - d;
      BlnkCoreTable.Row dup = row(clash, BlnkCoreTable.fillerHash(template, filler++), List.of("ledgers:read"), now.plus(Duration.ofDays(30)), now, false, null);
      rows.set(at, dup);
      expectedSkips.put(dup.apiKeyId(), "DUPLICATE_KEY_PREFIX");
    }
    BlnkCoreTable.insert(url, rows, true);
    assertThat(count("SELECT COUNT(*) FROM blnk.api_keys")).isEqualTo(TOTAL);
    assertThat(expectedSkips.values()).contains("NO_KEY_PREFIX", "INVALID_SCOPE", "DUPLICATE_KEY_PREFIX");
    TestPostgres.execute(url, "CREATE SCHEMA auth");
  }

  private static BlnkCoreTable.Row row(
      String key, String hash, List<String> scopes, Instant expires, Instant created, boolean isRevoked, Instant revokedAt) {
    return new BlnkCoreTable.Row(
        BlnkCoreTable.apiKeyId(), key, hash, key.substring(0, 16), "key " + key.substring(20, 24),
        "owner-" + (Math.abs(key.hashCode()) % 40), scopes, expires, created, isRevoked, revokedAt);
  }

  @AfterAll
  void dropDatabase() {
    TestPostgres.dropDatabase(database);
  }

  private long count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private JsonNode importOnce(StringBuilder progress) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        BlnkAuthCli.run(
            Map.of(),
            new PrintWriter(out),
            new PrintWriter(err),
            "import-blnk", "--from", url, "--jdbc-url", url, "--table", "auth.blnk_api_keys", "--json");
    assertThat(code).as(err.toString()).isZero();
    progress.append(err);
    return mapper.readTree(out.toString());
  }

  /** Every column of the target table, in a stable order: to show that a run changed nothing. */
  private String targetSnapshot() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM auth.blnk_api_keys ORDER BY api_key_id")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          all.append(rs.getString(i)).append('|');
        }
        all.append('\n');
      }
    }
    return all.toString();
  }

  @Test
  @Order(1)
  void theImportTakesEveryUsableRowAndReportsExactlyTheOthers() throws Exception {
    StringBuilder progress = new StringBuilder();
    firstReport = importOnce(progress);
    firstProgress = progress.toString();
    assertThat(firstReport.get("read").asLong()).isEqualTo(TOTAL);
    Map<String, String> skipped = new TreeMap<>();
    for (JsonNode s : firstReport.get("skipped")) {
      skipped.put(s.get("api_key_id").asText(), s.get("reason").asText());
      if (s.get("reason").asText().equals("INVALID_SCOPE")) {
        assertThat(s.get("detail").asText()).startsWith("scopes outside the registry: ");
      }
    }
    assertThat(skipped).isEqualTo(expectedSkips);
    assertThat(firstReport.get("imported").asLong()).isEqualTo(TOTAL - expectedSkips.size());
    assertThat(count("SELECT COUNT(*) FROM auth.blnk_api_keys")).isEqualTo(TOTAL - expectedSkips.size());
    assertThat(firstProgress).contains("read 500 of 10000 rows").contains("read 10000 of 10000 rows");
    // Hashes were copied, never shown.
    assertThat(firstReport.toString()).doesNotContain("$2a$");
  }

  @Test
  @Order(2)
  void aSecondRunChangesNothing() throws Exception {
    String before = targetSnapshot();
    JsonNode second = importOnce(new StringBuilder());
    assertThat(second.get("imported").asLong()).isZero();
    assertThat(second.get("revoked_since").asLong()).isZero();
    assertThat(second.get("already_present").asLong()).isEqualTo(TOTAL - expectedSkips.size());
    assertThat(second.get("skipped")).isEqualTo(firstReport.get("skipped"));
    assertThat(targetSnapshot()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void importedKeysWorkThroughTheFilterAndMoveToArgon2id() throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName("auth.blnk_api_keys").build();
        BlnkAuth auth =
            BlnkAuth.builder()
                .store(store)
                .masterKey("Import-test-master-key-0123456789-abcdefghij")
                .hasher(BlnkCoreHasher.upgradingTo(ARGON2ID))
                .acceptBlnkCoreKeys(true)
                .listener(AuthListener.none())
                .build();
        Jetty jetty = new Jetty(auth)) {
      for (BlnkCoreTable.Row r : valid) {
        String[] target = requestFor(r.scopes());
        HttpResponse<String> response = jetty.send(target[0], target[1], r.plaintext());
        if (r.scopes().isEmpty()) {
          assertThat(response.statusCode()).as(r.apiKeyId()).isEqualTo(403);
          assertThat(response.body()).contains("AUTH_INSUFFICIENT_PERMISSIONS");
          continue;
        }
        assertThat(response.statusCode()).as(r.apiKeyId() + " " + response.body()).isEqualTo(200);
        assertThat(response.body())
            .isEqualTo(r.apiKeyId() + "|" + r.owner() + "|" + String.join(" ", r.scopes()));
        // And nothing beyond its scopes.
        if (!r.scopes().contains("*:*") && !r.scopes().contains("accounts:delete")) {
          HttpResponse<String> denied = jetty.send("DELETE", "/accounts/x", r.plaintext());
          assertThat(denied.statusCode()).as(r.apiKeyId()).isEqualTo(403);
        }
      }
      for (BlnkCoreTable.Row r : revoked) {
        assertRefusedAsExpired(jetty, r);
      }
      for (BlnkCoreTable.Row r : expired) {
        assertRefusedAsExpired(jetty, r);
      }
      // A legacy-shaped key nobody issued, and a broken one: invalid, not expired.
      HttpResponse<String> unknown = jetty.send("GET", "/ledgers", BlnkCoreTable.newKey());
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(unknown.body()).contains("AUTH_INVALID_API_KEY");
      String broken = valid.get(0).plaintext().substring(0, 43) + "A";
      assertThat(jetty.send("GET", "/ledgers", broken).body()).contains("AUTH_INVALID_API_KEY");

      // After one use, every used key's hash is Argon2id (the upgrade runs in the background).
      List<String> used = new ArrayList<>();
      for (List<BlnkCoreTable.Row> group : List.of(valid, revoked, expired)) {
        group.forEach(r -> used.add(r.apiKeyId()));
      }
      Map<String, String> hashes = hashes(used);
      for (int i = 0; i < 600 && hashes.values().stream().anyMatch(h -> !h.startsWith("$argon2id$")); i++) {
        Thread.sleep(200);
        hashes = hashes(used);
      }
      assertThat(hashes).hasSize(used.size());
      assertThat(hashes.values()).allMatch(h -> h.startsWith("$argon2id$v=19$m=4096,t=1,p=1$"));
      // Upgraded keys still work, now verified with Argon2id.
      try (BlnkAuth fresh =
          BlnkAuth.builder()
              .store(store)
              .masterKey("Import-test-master-key-0123456789-abcdefghij")
              .hasher(BlnkCoreHasher.upgradingTo(ARGON2ID))
              .acceptBlnkCoreKeys(true)
              .listener(AuthListener.none())
              .build()) {
        for (BlnkCoreTable.Row r : valid.subList(0, 5)) {
          assertThat(fresh.authenticate(r.plaintext(), "")).isInstanceOf(io.blnk.auth.AuthResult.Granted.class);
        }
      }
    }
  }

  private static void assertRefusedAsExpired(Jetty jetty, BlnkCoreTable.Row r) throws Exception {
    HttpResponse<String> response = jetty.send("GET", "/ledgers", r.plaintext());
    assertThat(response.statusCode()).as(r.apiKeyId()).isEqualTo(401);
    assertThat(response.body()).as(r.apiKeyId()).contains("AUTH_EXPIRED_API_KEY");
  }

  private Map<String, String> hashes(List<String> ids) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(url);
        var ps = c.prepareStatement("SELECT api_key_id, key_hash FROM auth.blnk_api_keys WHERE api_key_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  /** A method and path the first scope allows. */
  private static String[] requestFor(List<String> scopes) {
    if (scopes.isEmpty()) {
      return new String[] {"GET", "/ledgers"};
    }
    String[] parts = scopes.get(0).split(":");
    String resource = parts[0].equals("*") ? "ledgers" : parts[0];
    String method =
        switch (parts[1]) {
          case "write" -> "POST";
          case "delete" -> "DELETE";
          default -> "GET";
        };
    return new String[] {method, "/" + resource};
  }

  /** Jetty 12 with the filter in front of a servlet that answers "id|owner|scopes". */
  static final class Jetty implements AutoCloseable {
    final Server server = new Server();
    final int port;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Jetty(BlnkAuth auth) throws Exception {
      ServerConnector connector = new ServerConnector(server, 1, 1);
      connector.setHost("127.0.0.1");
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      context.setContextPath("/");
      context.addFilter(
          new FilterHolder(BlnkAuthFilter.builder(auth).build()), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder(new WhoAmI()), "/");
      server.setHandler(context);
      server.start();
      port = connector.getLocalPort();
    }

    HttpResponse<String> send(String method, String path, String key) throws Exception {
      HttpRequest.Builder r =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("X-Blnk-Key", key)
              .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
      if (method.equals("POST")) {
        r.header("Content-Type", "application/json");
      }
      return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }

  static final class WhoAmI extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      BlnkPrincipal p = (BlnkPrincipal) req.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE);
      List<String> scopes = new ArrayList<>();
      p.scopes().scopes().forEach(s -> scopes.add(s.toString()));
      String body = p.apiKeyId().orElseThrow() + "|" + p.ownerId().orElseThrow() + "|" + String.join(" ", scopes);
      resp.setStatus(200);
      resp.setContentType("text/plain");
      resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
