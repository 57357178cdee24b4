package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.CreatedKey;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated bad input (over 1,400 requests, keep-alive, spread over Jetty, Tomcat and Undertow):
 * always a clear 4xx with the JSON envelope, never a 5xx, never a grant.
 */
final class BadInputHttpTest {

  static TestServer server;
  static CreatedKey writer;
  static final String VALID_CREATE =
      "{\"name\":\"svc\",\"owner\":\"fuzz-owner\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"2027-01-01T00:00:00Z\"}";

  static final java.util.Map<TestServer.Container, TestServer> SERVERS = new java.util.EnumMap<>(TestServer.Container.class);
  static final java.util.Map<TestServer.Container, CreatedKey> WRITERS = new java.util.EnumMap<>(TestServer.Container.class);

  @BeforeContainer
  static void start() throws Exception {
    for (TestServer.Container c : TestServer.Container.values()) {
      TestServer s = new TestServer(c);
      SERVERS.put(c, s);
      WRITERS.put(c, s.createKey("fuzz-writer", "transactions:write"));
    }
    use(TestServer.Container.JETTY);
  }

  /** Sends the next requests to {@code container}'s server. */
  static void use(TestServer.Container container) {
    server = SERVERS.get(container);
    writer = WRITERS.get(container);
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      for (TestServer s : SERVERS.values()) {
        // Nothing the fuzzing sent created a key.
        assertThat(s.get("/api-keys?owner=fuzz-owner", MASTER).body()).as(s.toString()).isEqualTo("[]");
      }
    } finally {
      SERVERS.values().forEach(TestServer::close);
      SERVERS.clear();
    }
  }

  static void assertEnvelope(int status, String body, Set<String> codes, String what) throws Exception {
    assertThat(status).as(what).isBetween(400, 499);
    JsonNode n = json(body);
    assertThat(n.path("error").isTextual()).as(what).isTrue();
    assertThat(codes).as(what + " -> " + body).contains(n.path("error_detail").path("code").asText());
    assertThat(n.path("error_detail").path("message").asText()).isEqualTo(n.path("error").asText());
  }

  // ---- keys -------------------------------------------------------------------------------

  @Provide
  Arbitrary<String> badKeys() {
    Arbitrary<String> valid = Arbitraries.just(key(writer));
    Arbitrary<String> random = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200);
    Arbitrary<String> flipped =
        Combinators.combine(valid, Arbitraries.integers().between(0, 53), Arbitraries.chars().alpha().numeric())
            .as((k, i, c) -> k.charAt(i) == c ? k.substring(0, i) + (c == 'a' ? 'b' : 'a') + k.substring(i + 1)
                : k.substring(0, i) + c + k.substring(i + 1));
    Arbitrary<String> truncated = Combinators.combine(valid, Arbitraries.integers().between(0, 53)).as((k, i) -> k.substring(0, i));
    Arbitrary<String> extended =
        Combinators.combine(valid, Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(50)).as((k, s) -> k + s);
    Arbitrary<String> recased = valid.map(k -> "BLNK" + k.substring(4));
    Arbitrary<String> injection =
        Arbitraries.of("' OR '1'='1", "blnk_'; DROP TABLE blnk_api_keys; --", "${jndi:ldap://x/a}", "../../etc/passwd",
            "Bearer " + key(writer), key(writer) + " " + key(writer), "%00", "null", "*:*", MASTER + "x",
            MASTER.substring(1), MASTER.toLowerCase());
    Arbitrary<String> huge = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1000).ofMaxLength(4000);
    return Arbitraries.oneOf(random, flipped, truncated, extended, recased, injection, huge)
        .filter(k -> !k.equals(key(writer)) && !k.equals(MASTER));
  }

  @Property(tries = 400)
  void aBadKeyIsRefusedAndNeverReachesTheApplication(@ForAll("badKeys") String badKey, @ForAll TestServer.Container container) throws Exception {
    use(container);
    int before = server.servletHits.get();
    HttpRequest r = HttpRequest.newBuilder(server.uri("/transactions")).header("X-Blnk-Key", badKey).build();
    HttpResponse<String> response = server.client.send(r, HttpResponse.BodyHandlers.ofString());
    assertEnvelope(response.statusCode(), response.body(),
        Set.of("AUTH_INVALID_API_KEY", "AUTH_MISSING_API_KEY", "GEN_RATE_LIMITED"), badKey);
    assertThat(server.servletHits.get()).isEqualTo(before);
  }

  // ---- raw headers -----------------------------------------------------------------------

  @Provide
  Arbitrary<byte[]> headerValues() {
    return Arbitraries.bytes()
        .filter(b -> b != '\r' && b != '\n' && b != 0)
        .array(byte[].class)
        .ofMinSize(0)
        .ofMaxSize(300);
  }

  @Property(tries = 300)
  void aMalformedHeaderValueIsRefused(@ForAll("headerValues") byte[] value, @ForAll TestServer.Container container) throws Exception {
    use(container);
    int before = server.servletHits.get();
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nx-BLNK-key: ".getBytes(StandardCharsets.ISO_8859_1));
    request.write(value);
    request.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    TestServer.Raw raw = server.rawBytes(request.toByteArray());
    assertThat(raw.status()).isBetween(400, 499);
    if (raw.text().contains("\"error_detail\"")) {
      String body = raw.text().substring(raw.text().indexOf("\r\n\r\n") + 4);
      assertEnvelope(raw.status(), body, Set.of("AUTH_INVALID_API_KEY", "AUTH_MISSING_API_KEY", "GEN_RATE_LIMITED"), "header");
    }
    assertThat(server.servletHits.get()).isEqualTo(before);
  }

  // ---- JSON bodies for POST /api-keys ----------------------------------------------------

  @Provide
  Arbitrary<byte[]> badCreateBodies() {
    Arbitrary<byte[]> truncated =
        Arbitraries.integers().between(0, VALID_CREATE.length() - 1).map(i -> utf8(VALID_CREATE.substring(0, i)));
    Arbitrary<String> wrongValue =
        Arbitraries.of("1", "-1.5e300", "true", "false", "[]", "{}", "[1]", "{\"a\":\"b\"}", "123456789012345678901234567890");
    Arbitrary<byte[]> wrongType =
        Combinators.combine(Arbitraries.of("name", "owner", "scopes", "expires_at"), wrongValue)
            .as((field, value) -> utf8(VALID_CREATE.replaceFirst("\"" + field + "\":(\"[^\"]*\"|\\[[^]]*\\])", "\"" + field + "\":" + value)));
    Arbitrary<byte[]> deep =
        Arbitraries.integers().between(1_001, 100_000).flatMap(n -> Arbitraries.of(utf8("[".repeat(n)),
            utf8("{\"a\":".repeat(n)), utf8("{\"name\":" + "[".repeat(n) + "]".repeat(n) + "}")));
    Arbitrary<byte[]> badUtf8 =
        Combinators.combine(Arbitraries.integers().between(10, 15), Arbitraries.of((byte) 0xC3, (byte) 0xFF, (byte) 0x80, (byte) 0xED))
            .as((at, b) -> {
              byte[] v = utf8(VALID_CREATE);
              v[at] = b; // inside the "svc" name string or its quotes
              return v;
            });
    Arbitrary<byte[]> garbage = Arbitraries.strings().ofMaxLength(200).map(BadInputHttpTest::utf8)
        .filter(b -> b.length == 0 || b[0] != '{');
    Arbitrary<byte[]> large = Arbitraries.just(utf8("{\"name\":\"" + "x".repeat(300_000) + "\"}"));
    Arbitrary<byte[]> injected =
        Arbitraries.of("'; DROP TABLE blnk_api_keys; --", "<script>alert(1)</script>", "${jndi:ldap://x}", "\u0000")
            .map(s -> utf8(VALID_CREATE.replace("\"svc\"", "\"svc\", \"scopes\": [\"" + s + "\"]")));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, truncated), net.jqwik.api.Tuple.of(5, wrongType), net.jqwik.api.Tuple.of(2, deep),
        net.jqwik.api.Tuple.of(3, badUtf8), net.jqwik.api.Tuple.of(4, garbage), net.jqwik.api.Tuple.of(1, large),
        net.jqwik.api.Tuple.of(2, injected));
  }

  @Property(tries = 400)
  void aBadKeyRequestIsRefusedAndCreatesNothing(@ForAll("badCreateBodies") byte[] body, @ForAll TestServer.Container container) throws Exception {
    use(container);
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/api-keys"))
            .header("X-Blnk-Key", MASTER)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response = sendRetryingOnce(r);
    assertEnvelope(response.statusCode(), response.body(),
        Set.of("GEN_MALFORMED_REQUEST", "GEN_UNSUPPORTED_MEDIA_TYPE", "APIKEY_INVALID", "APIKEY_OWNER_REQUIRED", "GEN_PAYLOAD_TOO_LARGE"),
        new String(body, 0, Math.min(body.length, 100), StandardCharsets.UTF_8));
  }

  // ---- JSON bodies to be tagged ----------------------------------------------------------

  @Property(tries = 350)
  void aBadObjectBodyIsRefusedBeforeTheApplication(@ForAll("badCreateBodies") byte[] body, @ForAll TestServer.Container container) throws Exception {
    use(container);
    boolean objectLike = body.length > 0 && body[0] == '{';
    int before = server.servletHits.get();
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", key(writer))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response = sendRetryingOnce(r);
    assertThat(response.statusCode()).isLessThan(500);
    if (response.statusCode() == 200) {
      // Passed on: then it was valid JSON (and tagged) or not an object at all (and unchanged).
      String seen = (String) server.lastSeen.get().get("body");
      if (seen.startsWith("{")) {
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(seen).path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo(writer.apiKey().id().value());
      } else {
        assertThat(objectLike).isFalse();
      }
    } else {
      assertEnvelope(response.statusCode(), response.body(), Set.of("GEN_MALFORMED_REQUEST", "GEN_UNSUPPORTED_MEDIA_TYPE", "GEN_PAYLOAD_TOO_LARGE"), "tag");
      assertThat(server.servletHits.get()).isEqualTo(before);
    }
  }

  /** Sends to {@code s}, retrying once on a pooled connection the server closed. */
  static HttpResponse<String> send(TestServer s, HttpRequest r) throws Exception {
    try {
      return s.client.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return s.client.send(r, HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A pooled connection the server closed after refusing an unread body is retried once. */
  static HttpResponse<String> sendRetryingOnce(HttpRequest r) throws Exception {
    try {
      return server.client.send(r, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return server.client.send(r, HttpResponse.BodyHandlers.ofString());
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
