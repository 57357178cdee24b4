package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.CreatedKey;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths built to confuse the mapping from path to resource never reach the application for a
 * resource the key lacks. Requests go over raw sockets so that no client normalises them, to four
 * servers: Jetty, Tomcat and Undertow as configured by default (which refuse some ambiguous URIs
 * themselves) and Jetty told to accept and decode them ({@code UriCompliance.UNSAFE}), where only
 * the filter stands guard.
 */
final class PathAttackHttpTest {

  static TestServer strict;
  static TestServer lax;
  static TestServer tomcat;
  static TestServer undertow;
  /** May read ledgers and write balances; nothing else (one per server). */
  static final java.util.Map<TestServer, CreatedKey> KEYS = new java.util.HashMap<>();

  @BeforeContainer
  static void startForProperties() throws Exception {
    start();
  }

  @AfterContainer
  static void stopForProperties() {
    stop();
  }

  @org.junit.jupiter.api.BeforeAll
  static void start() throws Exception {
    if (strict == null) {
      strict = new TestServer();
      lax = new TestServer(true, b -> {}, f -> {}, true);
      tomcat = new TestServer(TestServer.Container.TOMCAT);
      undertow = new TestServer(TestServer.Container.UNDERTOW);
      for (TestServer s : servers()) {
        KEYS.put(s, s.createKey("owner-p", "ledgers:read", "balances:write"));
      }
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void stop() {
    if (strict != null) {
      servers().forEach(TestServer::close);
      KEYS.clear();
      strict = null;
    }
  }

  static List<TestServer> servers() {
    return List.of(strict, lax, tomcat, undertow);
  }

  static int send(TestServer server, String method, String target) throws Exception {
    CreatedKey k = KEYS.get(server);
    return server.raw(method + " " + target + " HTTP/1.1", "X-Blnk-Key: " + key(k), "Content-Length: 0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ledgers/../api-keys", "/ledgers/../hooks", "//api-keys", "/%61pi-keys", "/api-keys;x=y", "/ledgers;x=y/../api-keys",
        "/api-keys%2Fx", "/ledgers%2F..%2Fapi-keys", "/Api-Keys", "/API-KEYS", "/api-keys.", "/api-keys..", "/api-keys/.",
        "/./api-keys", "/ledgers/%2e%2e/api-keys", "/ledgers/%2E%2E/api-keys", "/ledgers/..;/api-keys", "/ledgers\\..\\api-keys",
        "/ledgers/%5C../api-keys", "/ledgers%5Capi-keys", "/%2e%2e/api-keys", "/ledgers/.%2e/api-keys", "/ledgers//../api-keys",
        "/%2fapi-keys", "/ledgers/%00/../api-keys", "/ledgers%00", "/api-keys%00", "/ledgers/..%2fapi-keys", "/api-keys%3Bx",
        "/ledgers/%252e%252e/api-keys", "/api%2Dkeys", "/ledgers/%E2%80%A4%E2%80%A4/api-keys", "/ledgers%E2%88%95api-keys", "/ledgers/%E2%80%A5/api-keys",
        "/ledgers/%EF%BC%8E%EF%BC%8E/api-keys", "/ledgers%EF%BC%8Fapi-keys", "/hooks", "/Ledgers/../hooks"
      })
  void aConfusingPathNeverReachesAResourceTheKeyLacks(String path) throws Exception {
    for (TestServer server : servers()) {
      int before = server.servletHits.get();
      int status = send(server, "GET", path);
      assertThat(status).as(path).isBetween(400, 499);
      assertThat(server.servletHits.get()).as(path).isEqualTo(before);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/ledgers", "/ledgers/", "/ledgers/ldg_1", "/ledgers/a%20b", "/ledgers/%C3%A9", "/ledgers/a:b@c"})
  void aPlainPathTheKeyMayReadReachesTheApplication(String path) throws Exception {
    for (TestServer server : servers()) {
      assertThat(send(server, "GET", path)).as(server + " " + path).isEqualTo(200);
    }
  }

  static final List<String> VOCABULARY =
      List.of(
          "ledgers", "balances", "api-keys", "hooks", "transactions", "..", ".", "", "%2F", "%2f", "%2e", "%2E%2e", ";x=y",
          "ledgers;x=y", "LEDGERS", "Api-Keys", "%61pi-keys", "%6Cedgers", "ledgers.", "%5C", "%3B", "%25", "x", "metadata",
          "ledgers%2Fapi-keys", "%C3%A9", "%FF", "a%20b", "~", "%00", "b%61lances");

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(VOCABULARY)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(segments -> "/" + String.join("/", segments));
  }

  @Provide
  Arbitrary<Integer> serverIndexes() {
    return Arbitraries.integers().between(0, 3);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "DELETE", "HEAD", "PUT");
  }

  /** What the key may do, decided here from the servlet-visible path, independently of Routes. */
  static boolean allowed(String servletPath, String method) {
    if (servletPath.equals("/") || servletPath.equals("/health")) {
      return true; // public
    }
    String first = RequestPaths.segment(servletPath, 0);
    Map<String, List<String>> allows = Map.of("ledgers", List.of("GET", "HEAD"), "balances", List.of("POST", "PUT"));
    return allows.getOrDefault(first, List.of()).contains(method);
  }

  @Property(tries = 600)
  void whateverReachesTheApplicationIsAllowedForTheKey(
      @ForAll("paths") String path, @ForAll("methods") String method, @ForAll("serverIndexes") int which) throws Exception {
    TestServer server = servers().get(which);
    int before = server.servletHits.get();
    server.lastSeen.set(null);
    int status = send(server, method, path);
    assertThat(status).as(method + " " + path).isBetween(200, 499);
    if (server.servletHits.get() != before) {
      String seen = (String) server.lastSeen.get().get("path");
      assertThat(allowed(seen, method)).as(method + " " + path + " reached the application as " + seen).isTrue();
      assertThat(seen).as(path).isEqualTo(RequestPaths.decode(path, 0));
    } else {
      assertThat(status).as(server + " " + method + " " + path).isBetween(400, 499);
    }
  }
}
