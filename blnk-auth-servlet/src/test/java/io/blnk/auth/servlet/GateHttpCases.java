package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.CreatedKey;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.filter.HiddenHttpMethodFilter;

/**
 * The request gate's findings (issue 10), each reproduced over real HTTP: bodies that cannot
 * forge {@code BLNK_GENERATED_BY}, method overrides, multipart, forms, async, servlet paths,
 * {@code Retry-After}. The server has Spring's {@link HiddenHttpMethodFilter} and a header
 * override filter after blnk-auth's, as a host using either would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GateHttpCases {

  /** The container this run uses. */
  abstract TestServer.Container container();

  static final String FORGED = "forged-by-attacker";

  TestServer server;
  CreatedKey writer;

  @BeforeAll
  void start() throws Exception {
    server =
        new TestServer(
            container(),
            true,
            b -> {},
            f -> f.tagTargets("/transactions/bulk", "/transactions/*/meta_data"),
            false,
            List.of(new HiddenHttpMethodFilter(), new HeaderOverrideFilter()));
    writer = server.createKey("owner-g", "transactions:write", "ledgers:write", "reconciliation:write");
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /**
   * A method-override filter as JAX-RS and other frameworks ship: the first of the three override
   * headers, on any method, becomes {@code getMethod()}.
   */
  static final class HeaderOverrideFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
        throws IOException, ServletException {
      for (String header : RequestGate.OVERRIDE_HEADERS) {
        String v = req.getHeader(header);
        if (v != null && !v.isBlank()) {
          String method = v.trim().toUpperCase(Locale.ROOT);
          chain.doFilter(
              new HttpServletRequestWrapper(req) {
                @Override
                public String getMethod() {
                  return method;
                }
              },
              res);
          return;
        }
      }
      chain.doFilter(req, res);
    }
  }

  HttpResponse<String> send(String method, String path, String key, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(server.uri(path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (key != null) {
      r.header("X-Blnk-Key", key);
    }
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    try {
      return server.client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // A server may close a pooled connection after refusing an unread body: retry once.
      return server.client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  static final String FORGING = "{\"amount\":1,\"meta_data\":{\"BLNK_GENERATED_BY\":\"" + FORGED + "\"}}";

  /** The request was refused with the envelope and never reached the application. */
  void assertRefused(HttpResponse<String> r, int before, int status, String code) throws Exception {
    assertError(r, status, code, null);
    assertThat(server.servletHits.get()).as("reached the application").isEqualTo(before);
  }

  // ---- 1. bodies that could carry a forged tag -------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"IBM037", "IBM1047", "IBM500"})
  void ebcdicJsonIsRefusedWhetherDeclaredOrNot(String charset) throws Exception {
    byte[] ebcdic = FORGING.getBytes(Charset.forName(charset));
    int before = server.servletHits.get();
    for (String type : List.of("application/json; charset=" + charset, "application/json", "text/plain", "application/octet-stream")) {
      assertRefused(
          send("POST", "/transactions", key(writer), ebcdic, "Content-Type", type), before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @Test
  void wideUnicodeJsonIsRefused() throws Exception {
    int before = server.servletHits.get();
    for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, Charset.forName("UTF-32LE"))) {
      assertRefused(
          send("POST", "/transactions", key(writer), FORGING.getBytes(cs), "Content-Type", "application/json"),
          before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate", "br", "x-gzip", "identity, gzip"})
  void encodedBodiesAreRefused(String encoding) throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(FORGING.getBytes(StandardCharsets.UTF_8));
    }
    int before = server.servletHits.get();
    assertRefused(
        send("POST", "/transactions", key(writer), gz.toByteArray(), "Content-Type", "application/json", "Content-Encoding", encoding),
        before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void anIdentityEncodingIsAccepted() throws Exception {
    HttpResponse<String> r =
        send("POST", "/transactions", key(writer), FORGING.getBytes(StandardCharsets.UTF_8),
            "Content-Type", "application/json", "Content-Encoding", "identity");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.lastSeen.get().get("body").toString()).doesNotContain(FORGED).contains(writer.apiKey().id().value());
  }

  @ParameterizedTest
  @ValueSource(strings = {")]}'\n", ")]}',\n", "// c\n", "/* c */", "# c\n", "\u00a0", "\f", "\u000b", "\u2028", "\u200b", "\u3000"})
  void lenientPrefixesAreRefused(String prefix) throws Exception {
    int before = server.servletHits.get();
    for (String type : List.of("application/json", "text/plain", "application/octet-stream")) {
      assertRefused(
          send("POST", "/transactions", key(writer), (prefix + FORGING).getBytes(StandardCharsets.UTF_8), "Content-Type", type),
          before, 400, "GEN_MALFORMED_REQUEST");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"amount\":1, /* c */ \"meta_data\":{\"BLNK_GENERATED_BY\":\"forged-by-attacker\"}}",
        "{'meta_data':{'BLNK_GENERATED_BY':'forged-by-attacker'}}",
        "{meta_data:{BLNK_GENERATED_BY:\"forged-by-attacker\"}}",
        "{\"meta_data\":{\"BLNK_GENERATED_BY\":\"forged-by-attacker\",},}",
        "{\"meta_data\":{},\"meta_data\":{\"BLNK_GENERATED_BY\":\"forged-by-attacker\"}}",
        "{\"amount\":1} {\"meta_data\":{\"BLNK_GENERATED_BY\":\"forged-by-attacker\"}}"
      })
  void lenientSyntaxAndDuplicateNamesAreRefused(String body) throws Exception {
    int before = server.servletHits.get();
    assertRefused(
        send("POST", "/transactions", key(writer), body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json"),
        before, 400, "GEN_MALFORMED_REQUEST");
  }

  @Test
  void aDeclaredNonUtf8CharsetIsRefusedForAnyTextBody() throws Exception {
    int before = server.servletHits.get();
    assertRefused(
        send("POST", "/transactions", key(writer), "a,b".getBytes(StandardCharsets.ISO_8859_1), "Content-Type", "text/csv; charset=ISO-8859-1"),
        before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
    assertThat(
            send("POST", "/transactions", key(writer), "a,b".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/csv; charset=\"UTF-8\"")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aUtf8BomBeforeStrictJsonIsKeptAndTagged() throws Exception {
    byte[] body = ("\uFEFF" + FORGING).getBytes(StandardCharsets.UTF_8);
    assertThat(send("POST", "/transactions", key(writer), body, "Content-Type", "application/json").statusCode()).isEqualTo(200);
    byte[] seen = server.lastBody();
    assertThat(seen[0] & 0xff).isEqualTo(0xEF);
    JsonNode tagged = Json.MAPPER.readTree(new String(seen, 3, seen.length - 3, StandardCharsets.UTF_8));
    assertThat(tagged.path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo(writer.apiKey().id().value());
  }

  @Test
  void bulkBodiesAreTaggedInEveryTransaction() throws Exception {
    String body =
        "{\"atomic\":true,\"transactions\":[{\"amount\":1,\"meta_data\":{\"BLNK_GENERATED_BY\":\"" + FORGED + "\",\"k\":1}},"
            + "{\"amount\":2},{\"amount\":3,\"meta_data\":null}]}";
    HttpResponse<String> r = send("POST", "/transactions/bulk", key(writer), body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode seen = Json.MAPPER.readTree(server.lastSeen.get().get("body").toString());
    String id = writer.apiKey().id().value();
    for (JsonNode txn : seen.path("transactions")) {
      assertThat(txn.path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo(id);
    }
    assertThat(seen.path("transactions").get(0).path("meta_data").path("k").asInt()).isEqualTo(1);
    assertThat(server.lastSeen.get().get("body").toString()).doesNotContain(FORGED);
    // Other routes keep the top-level default.
    send("POST", "/transactions", key(writer), body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertThat(Json.MAPPER.readTree(server.lastSeen.get().get("body").toString()).path("meta_data").path("BLNK_GENERATED_BY").asText())
        .isEqualTo(id);
  }

  // ---- 2. method overrides ----------------------------------------------------------------

  @Test
  void hiddenMethodCannotTurnAWriteIntoADeleteBehindSpringsFilter() throws Exception {
    int before = server.servletHits.get();
    HttpResponse<String> r =
        send("POST", "/ledgers/ldg_1", key(writer), "_method=DELETE".getBytes(StandardCharsets.US_ASCII),
            "Content-Type", "application/x-www-form-urlencoded");
    assertRefused(r, before, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    assertThat(json(r.body()).path("error").asText()).isEqualTo("Insufficient permissions for ledgers:delete");
    assertRefused(send("POST", "/ledgers/ldg_1?_method=delete", key(writer), null), before, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
  }

  @Test
  void aKeyHoldingBothActionsMayOverride() throws Exception {
    CreatedKey both = server.createKey("owner-g", "ledgers:write", "ledgers:delete");
    HttpResponse<String> r =
        send("POST", "/ledgers/ldg_1", key(both), "_method=DELETE".getBytes(StandardCharsets.US_ASCII),
            "Content-Type", "application/x-www-form-urlencoded");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).path("method").asText()).isEqualTo("DELETE");
    r = send("POST", "/ledgers/ldg_1", key(both), null, "X-HTTP-Method-Override", "DELETE");
    assertThat(json(r.body()).path("method").asText()).isEqualTo("DELETE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "x-http-method-override"})
  void overrideHeadersCannotWidenAnAction(String header) throws Exception {
    int before = server.servletHits.get();
    assertRefused(send("POST", "/ledgers/ldg_1", key(writer), null, header, "DELETE"), before, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    assertRefused(send("GET", "/transactions", key(writer), null, header, "delete"), before, 403, "AUTH_INSUFFICIENT_PERMISSIONS");
    assertRefused(send("POST", "/ledgers", key(writer), null, header, "FROB"), before, 400, "GEN_MALFORMED_REQUEST");
  }

  @Test
  void anUnknownOverrideIsRefusedEvenForTheMasterKey() throws Exception {
    int before = server.servletHits.get();
    assertRefused(
        send("POST", "/ledgers", MASTER, "_method=DELETE%20GET".getBytes(StandardCharsets.US_ASCII),
            "Content-Type", "application/x-www-form-urlencoded"),
        before, 400, "GEN_MALFORMED_REQUEST");
    HttpResponse<String> ok = send("POST", "/hooks/h1", MASTER, null, "X-HTTP-Method", "PATCH");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok.body()).path("method").asText()).isEqualTo("PATCH");
  }

  // ---- 3. multipart ---------------------------------------------------------------------

  @Test
  void multipartUploadsArriveWholeForScopedAndMasterKeys() throws Exception {
    byte[] file = new byte[300_000];
    new Random(7).nextBytes(file);
    String boundary = "blnkBoundary7MA4YWxkTrZu0gW";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nstripe\r\n").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String k : List.of(key(writer), MASTER)) {
      HttpResponse<String> r =
          send("POST", "/reconciliation/upload", k, body.toByteArray(), "Content-Type", "multipart/form-data; boundary=" + boundary);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r.body()).path("parts").toString())
          .isEqualTo("[\"source:6:" + TestServer.sha256("stripe".getBytes(StandardCharsets.US_ASCII)) + "\",\"file:300000:"
              + TestServer.sha256(file) + "\"]");
    }
  }

  // ---- 4. forms --------------------------------------------------------------------------

  @Test
  void formsDecodeIdenticallyForMasterAndScopedKeys() throws Exception {
    byte[] form = "name=%C3%A9t%C3%A9&raw=\u00e9".getBytes(StandardCharsets.UTF_8);
    send("POST", "/ledgers", MASTER, form, "Content-Type", "application/x-www-form-urlencoded");
    Object master = server.lastSeen.get().get("params");
    HttpResponse<String> r = send("POST", "/ledgers", key(writer), form, "Content-Type", "application/x-www-form-urlencoded");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.lastSeen.get().get("params")).isEqualTo(master);
    assertThat(master.toString()).contains("name=[");
  }

  // ---- 5. async --------------------------------------------------------------------------

  @Test
  void asyncServletsWorkBehindTheFilter() throws Exception {
    HttpResponse<String> r = server.get("/ledgers?async", key(writer));
    assertThat(r.statusCode()).isEqualTo(403); // ledgers:read not held: refused before the servlet
    CreatedKey reader = server.createKey("owner-g", "ledgers:read");
    r = server.get("/ledgers?async", key(reader));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).path("async").asBoolean()).isTrue();
    assertThat(json(r.body()).path("principal").asText()).isEqualTo(reader.apiKey().id().value());
    r = server.post("/transactions?async", key(writer), "{\"a\":1}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).path("body").asText()).contains(writer.apiKey().id().value());
  }

  // ---- 6. servlet paths ------------------------------------------------------------------

  @Test
  void aServletMappedAtApiRoutesRelativeToItsServletPath() throws Exception {
    CreatedKey reader = server.createKey("owner-g", "ledgers:read", "api-keys:read");
    HttpResponse<String> r = server.get("/api/ledgers/ldg_1", key(reader));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).path("servletPath").asText()).isEqualTo("/api");
    assertThat(server.get("/api/health", null).statusCode()).isEqualTo(200);
    assertThat(server.get("/api/", null).statusCode()).isEqualTo(200);
    assertThat(server.get("/api/api-keys", key(reader)).statusCode()).isEqualTo(200);
    assertError(server.get("/api/balances", key(reader)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
    assertError(server.get("/api/hooks", key(reader)), 403, "AUTH_MASTER_KEY_REQUIRED", null);
    r = server.post("/api/transactions", key(writer), "{}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).path("body").asText()).contains(writer.apiKey().id().value());
  }

  @Test
  void anExplicitApiBasePathConfinesPublicPathsAndRoutesToIt() throws Exception {
    try (TestServer s = new TestServer(container(), true, b -> {}, f -> f.apiBasePath("/api/"))) {
      CreatedKey reader = s.createKey("o", "ledgers:read", "api-keys:read");
      assertThat(s.get("/api/ledgers", key(reader)).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/health", null).statusCode()).isEqualTo(200);
      assertThat(s.get("/api/api-keys", key(reader)).statusCode()).isEqualTo(200);
      assertError(s.get("/ledgers", key(reader)), 403, "AUTH_UNKNOWN_RESOURCE", null);
      assertError(s.get("/health", null), 401, "AUTH_MISSING_API_KEY", null);
      assertError(s.get("/api-keys", key(reader)), 403, "AUTH_UNKNOWN_RESOURCE", null);
      assertThat(s.get("/anything", MASTER).statusCode()).isEqualTo(200);
      assertError(s.get("/apiledgers", key(reader)), 403, "AUTH_UNKNOWN_RESOURCE", null);
    }
  }

  // ---- 7. the smaller findings -----------------------------------------------------------

  @Test
  void storeOutagesAndThrottlingAdviseARetry() throws Exception {
    try (TestServer s = new TestServer(
        container(), true, b -> {}, f -> {}, false, List.of(), new FilterHttpCases.FailingStore(), io.blnk.auth.AuthListener.none())) {
      String someKey = s.auth.keyFormat().generate(new java.security.SecureRandom()).reveal();
      HttpResponse<String> r = s.get("/ledgers", someKey);
      assertError(r, 503, "AUTH_STORE_UNAVAILABLE", null);
      // The store's circuit opened and says when it will probe again (BlnkAuth's default: 2 s).
      assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
      // A store call after the decision (here a listing by the master key) advises the same.
      HttpResponse<String> listing = s.get("/api-keys?owner=o", MASTER);
      assertError(listing, 503, "AUTH_STORE_UNAVAILABLE", null);
      assertThat(listing.headers().firstValue("Retry-After")).hasValue("2");
    }
    try (TestServer s = new TestServer(container(), true, b -> b.failureThrottle(1, Duration.ofMinutes(1)), f -> {})) {
      CreatedKey k = s.createKey("o", "ledgers:read");
      String real = key(k);
      String wrong = s.auth.keyFormat().generate(new java.security.SecureRandom()).reveal();
      // The same lookup id with a wrong secret: keep the first 21 characters (prefix and lookup id).
      String sameId = real.substring(0, 21) + wrong.substring(21);
      HttpResponse<String> last = null;
      for (int i = 0; i < 5; i++) {
        last = s.get("/ledgers", sameId);
        if (last.statusCode() == 429) {
          break;
        }
      }
      if (last.statusCode() == 429) {
        long seconds = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
        assertThat(seconds).isBetween(1L, 60L);
      } else {
        assertThat(last.statusCode()).isEqualTo(401); // a wrong checksum never reaches the throttle
      }
    }
  }

  @Test
  void apiKeysTakesTheSameBodyRuleAsTaggedRoutes() throws Exception {
    String create = "{\"name\":\"svc\",\"owner\":\"o\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"2027-01-01T00:00:00Z\"}";
    int before = server.servletHits.get();
    for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"), Charset.forName("IBM037"))) {
      assertRefused(send("POST", "/api-keys", MASTER, create.getBytes(cs), "Content-Type", "application/json"),
          before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
    }
    assertRefused(send("POST", "/api-keys", MASTER, create.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json; charset=UTF-16"), before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
    assertRefused(send("POST", "/api-keys", MASTER, create.getBytes(StandardCharsets.UTF_8),
        "Content-Type", "application/json", "Content-Encoding", "gzip"), before, 415, "GEN_UNSUPPORTED_MEDIA_TYPE");
    HttpResponse<String> ok =
        send("POST", "/api-keys", MASTER, ("\uFEFF" + create).getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
  }

  @Test
  void lookAlikesOfDotAndSlashAreRefused() throws Exception {
    CreatedKey k = server.createKey("owner-g", "*:*");
    for (String path : Set.of("/ledgers/%E2%80%A5/api-keys", "/ledgers/%EF%BC%8E%EF%BC%8E/api-keys", "/ledgers%EF%BC%8F..")) {
      int before = server.servletHits.get();
      assertThat(server.raw("GET " + path + " HTTP/1.1", "X-Blnk-Key: " + key(k))).as(path).isBetween(400, 499);
      assertThat(server.servletHits.get()).isEqualTo(before);
    }
  }
}
