package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter's sequence over hand-written requests: what reaches the chain, and what is answered
 * instead (the HTTP suite runs the same in three containers).
 */
final class BlnkAuthFilterTest {

  // Built per test, not once, so that each test exercises the builder too.
  final BlnkAuthFilter filter = BlnkAuthFilter.builder(RequestGateTest.AUTH).console(true).build();

  /** A chain that records what it was handed. */
  static final class Chain implements FilterChain {
    final List<ServletRequest> requests = new ArrayList<>();
    final List<ServletResponse> responses = new ArrayList<>();
    final List<String> bodies = new ArrayList<>();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException {
      requests.add(request);
      responses.add(response);
      bodies.add(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static Fakes.Request request(String method, String path, String key) {
    return RequestGateTest.request(method, path, key);
  }

  static Chain run(BlnkAuthFilter filter, Fakes.Request r, Fakes.Response out) throws Exception {
    Chain chain = new Chain();
    filter.doFilter(r.build(), out.build(), chain);
    return chain;
  }

  static String body(Fakes.Response out) {
    return out.body.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aPublicPathReachesTheChainAsTheContainersRequest() throws Exception {
    Fakes.Request r = request("GET", "/health", null);
    HttpServletRequest built = r.build();
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain();
    filter.doFilter(built, out.build(), chain);
    assertThat(chain.requests).containsExactly(built);
    assertThat(out.status).isEqualTo(200);
    assertThat(out.body.size()).isZero();
  }

  @Test
  void aRefusalIsAnsweredTheChainNeverRunsAndTheBodyIsDrained() throws Exception {
    Fakes.Request r = request("POST", "/ledgers", null).body("application/json", "{}".getBytes(StandardCharsets.UTF_8));
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(filter, r, out);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(401);
    assertThat(body(out)).contains("AUTH_MISSING_API_KEY");
    assertThat(r.bodyReads).isEqualTo(1);
    assertThat(r.attributes).containsEntry(BlnkAuthFilter.REFUSAL_ATTRIBUTE, io.blnk.auth.ErrorCode.AUTH_MISSING_API_KEY);
  }

  @Test
  void aScopedKeysJsonBodyIsTaggedAndThePrincipalIsTheKeys() throws Exception {
    Fakes.Request r = request("POST", "/ledgers", RequestGateTest.WRITER)
        .body("application/json", "{\"name\":\"l\"}".getBytes(StandardCharsets.UTF_8));
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(filter, r, out);
    assertThat(chain.requests).hasSize(1);
    HttpServletRequest seen = (HttpServletRequest) chain.requests.get(0);
    BlnkPrincipal p = (BlnkPrincipal) seen.getUserPrincipal();
    assertThat(p.isMaster()).isFalse();
    assertThat(seen.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE)).isSameAs(p);
    assertThat(r.attributes).doesNotContainKey(BlnkAuthFilter.REFUSAL_ATTRIBUTE);
    assertThat(chain.bodies.get(0)).contains("\"BLNK_GENERATED_BY\":\"" + p.getName() + "\"");
    assertThat(seen.getContentLength()).isEqualTo(chain.bodies.get(0).getBytes(StandardCharsets.UTF_8).length);
    assertThat(r.bodyReads).isEqualTo(1);
  }

  @Test
  void theMasterKeysBodyIsLeftToTheContainer() throws Exception {
    Fakes.Request r = request("POST", "/ledgers", TestServer.MASTER)
        .body("text/plain", "anything".getBytes(StandardCharsets.UTF_8));
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(filter, r, out);
    HttpServletRequest seen = (HttpServletRequest) chain.requests.get(0);
    assertThat(((BlnkPrincipal) seen.getUserPrincipal()).isMaster()).isTrue();
    assertThat(seen.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE)).isEqualTo(BlnkPrincipal.master());
    assertThat(chain.bodies).containsExactly("anything");
  }

  @Test
  void aBodyThePolicyRefusesIsAnsweredWithoutTheChain() throws Exception {
    Fakes.Request r = request("POST", "/ledgers", RequestGateTest.WRITER)
        .body("application/json; charset=IBM037", "{}".getBytes(StandardCharsets.UTF_8));
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(filter, r, out);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(415);
    assertThat(body(out)).contains("GEN_UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void aDeclaredBodyOverTheLimitIsRefusedBeforeTheApplication() throws Exception {
    BlnkAuthFilter small = BlnkAuthFilter.builder(RequestGateTest.AUTH).maxBodyBytes(4).build();
    Fakes.Request r = request("PUT", "/ledgers/x", TestServer.MASTER)
        .body("text/plain", "0123456789".getBytes(StandardCharsets.UTF_8));
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(small, r, out);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(413);
    assertThat(r.attributes).containsEntry(BlnkAuthFilter.REFUSAL_ATTRIBUTE, io.blnk.auth.ErrorCode.GEN_PAYLOAD_TOO_LARGE);
  }

  @Test
  void apiKeysIsAnsweredByTheFilter() throws Exception {
    Fakes.Request r = request("GET", "/api-keys", TestServer.MASTER).query("owner=o");
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(filter, r, out);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(200);
    assertThat(body(out)).startsWith("[");
  }

  @Test
  void theConsoleIsServedWithoutAKey() throws Exception {
    Fakes.Request r = request("GET", "/blnk-auth/console/settings.json", null);
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(filter, r, out);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(200);
    assertThat(body(out)).contains("\"key_prefix\"");
  }

  @Test
  void aStoreFailingBehindTheEndpointIs503() throws Exception {
    try (BlnkAuth down = RequestGateTest.auth(true, new FilterHttpCases.FailingStore())) {
      BlnkAuthFilter f = BlnkAuthFilter.builder(down).build();
      Fakes.Request r = request("GET", "/api-keys", TestServer.MASTER).query("owner=o");
      Fakes.Response out = new Fakes.Response();
      Chain chain = run(f, r, out);
      assertThat(chain.requests).isEmpty();
      assertThat(out.status).isEqualTo(503);
      assertThat(out.headers).containsKey("Retry-After");
      assertThat(body(out)).contains("AUTH_STORE_UNAVAILABLE");
    }
  }

  @Test
  void anUnexpectedFailureIs500WithoutDetailAndTheBodyIsDrained() throws Exception {
    Fakes.Request r = request("POST", "/ledgers", RequestGateTest.WRITER)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8));
    HttpServletRequest broken =
        new jakarta.servlet.http.HttpServletRequestWrapper(r.build()) {
          @Override
          public String getRemoteAddr() {
            throw new IllegalStateException("the container's own failure");
          }
        };
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain();
    filter.doFilter(broken, out.build(), chain);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(500);
    assertThat(body(out)).contains("GEN_INTERNAL").doesNotContain("Exception");
    assertThat(r.bodyReads).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = DispatcherType.class, names = "REQUEST", mode = EnumSource.Mode.EXCLUDE)
  void otherDispatchesPassUntouched(DispatcherType type) throws Exception {
    Fakes.Request r = request("DELETE", "/hooks", null);
    r.dispatcher = type;
    HttpServletRequest built = r.build();
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain();
    filter.doFilter(built, out.build(), chain);
    assertThat(chain.requests).containsExactly(built);
    assertThat(out.status).isEqualTo(200);
  }

  @Test
  void aNonHttpRequestPassesUntouched() throws Exception {
    ServletRequest plain = (ServletRequest) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ServletRequest.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "getInputStream" -> Fakes.stream(new byte[0]);
          default -> throw new UnsupportedOperationException(m.getName());
        });
    Fakes.Response out = new Fakes.Response();
    ServletResponse response = out.build();
    Chain chain = new Chain();
    filter.doFilter(plain, response, chain);
    assertThat(chain.requests).hasSize(1);
    assertThat(chain.requests.get(0)).isSameAs(plain);
    assertThat(chain.responses.get(0)).isSameAs(response);

    Fakes.Request r = request("DELETE", "/hooks", null);
    HttpServletRequest http = r.build();
    ServletResponse plainResponse = (ServletResponse) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ServletResponse.class},
        (proxy, m, args) -> { throw new UnsupportedOperationException(m.getName()); });
    Chain second = new Chain();
    filter.doFilter(http, plainResponse, second);
    assertThat(second.requests).containsExactly(http);
  }

  @Test
  void aFilterBuiltInCodeIgnoresInitAndOwnsNothing() throws Exception {
    BlnkAuthFilter f = BlnkAuthFilter.builder(RequestGateTest.AUTH).build();
    f.init(Fakes.config(Map.of("environment", "maybe"))); // would fail if read
    f.destroy();
    // the host's auth is still open
    assertThat(RequestGateTest.AUTH.authenticate(TestServer.MASTER, "").granted()).isTrue();
    assertThat(f.toString()).isEqualTo("BlnkAuthFilter[" + RequestGateTest.AUTH + "]");
  }

  @Test
  void aFilterFromInitParametersIsConfiguredOnceThenServes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    BlnkAuthFilter f = new BlnkAuthFilter();
    assertThat(f.toString()).isEqualTo("BlnkAuthFilter[not initialised]");
    assertThatThrownBy(() -> f.doFilter(request("GET", "/health", null).build(), new Fakes.Response().build(), new Chain()))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter was not initialised");
    f.destroy(); // nothing to close yet
    java.nio.file.Path json = dir.resolve("blnk.json");
    java.nio.file.Files.writeString(json, "{\"server\":{\"secret_key\":\"" + TestServer.MASTER + "\"}}");
    f.init(Fakes.config(Map.of("environment", "false", "config", json.toString(),
        "storeFactory", InMemoryStoreFactory.class.getName())));
    f.init(Fakes.config(Map.of("environment", "maybe"))); // configured already: not read
    assertThat(f.toString()).startsWith("BlnkAuthFilter[").isNotEqualTo("BlnkAuthFilter[not initialised]");
    Fakes.Response out = new Fakes.Response();
    Chain chain = run(f, request("GET", "/api-keys", TestServer.MASTER).query("owner=o"), out);
    assertThat(chain.requests).isEmpty();
    assertThat(out.status).isEqualTo(200);
    f.destroy();
  }

  /** A store factory whose in-memory store records being closed and unsubscribed. */
  public static final class RecordingStoreFactory implements KeyStoreFactory {
    static final List<String> CALLS = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Instantiated by the filter. */
    public RecordingStoreFactory() {}

    @Override
    public KeyStore create(jakarta.servlet.FilterConfig config) {
      KeyStore delegate = KeyStore.inMemory();
      return (KeyStore) Proxy.newProxyInstance(
          getClass().getClassLoader(), new Class<?>[] {KeyStore.class},
          (proxy, m, args) -> {
            if (m.getName().equals("close")) {
              CALLS.add("close");
            }
            Object result;
            try {
              result = m.invoke(delegate, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
            if (m.getName().equals("subscribe")) {
              AutoCloseable subscription = (AutoCloseable) result;
              return (AutoCloseable) () -> {
                CALLS.add("unsubscribe");
                subscription.close();
              };
            }
            return result;
          });
    }
  }

  @Test
  void destroyClosesTheAuthAndTheStoreTheFilterCreated(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path json = dir.resolve("blnk.json");
    java.nio.file.Files.writeString(json, "{\"server\":{\"secret_key\":\"" + TestServer.MASTER + "\"}}");
    BlnkAuthFilter f = new BlnkAuthFilter();
    f.init(Fakes.config(Map.of("environment", "false", "config", json.toString(),
        "storeFactory", RecordingStoreFactory.class.getName())));
    RecordingStoreFactory.CALLS.clear();
    f.destroy();
    assertThat(RecordingStoreFactory.CALLS).containsExactly("unsubscribe", "close");
  }

  @Test
  void theBuilderChainsAndChecksEverySetting() {
    BlnkAuthFilter.Builder b = BlnkAuthFilter.builder(RequestGateTest.AUTH);
    assertThat(b.publicPaths(java.util.Set.of("/status"))).isSameAs(b);
    assertThat(b.publicPaths).containsExactly("/status");
    assertThat(b.console(true)).isSameAs(b);
    assertThat(b.console).isTrue();
    assertThat(b.consolePath("/ops/console")).isSameAs(b);
    assertThat(b.consolePath).isEqualTo("/ops/console");
    assertThat(b.route("mocked-account", "accounts")).isSameAs(b);
    assertThat(b.routes).containsEntry("mocked-account", "accounts");
    assertThat(b.routeById("notes", "metadata")).isSameAs(b);
    assertThat(b.idRoutes).containsEntry("notes", "metadata");
    assertThat(b.tagTargets("/transactions/bulk", "/transactions/*/meta_data")).isSameAs(b);
    assertThat(b.tagTargets).containsEntry("/transactions/bulk", List.of("/transactions/*/meta_data"));
    assertThat(b.idPrefix("ldg2_", "ledgers")).isSameAs(b);
    assertThat(b.idPrefixes()).containsEntry("ldg2_", "ledgers").containsEntry("ldg_", "ledgers");
    BlnkAuthFilter.Builder replaced = BlnkAuthFilter.builder(RequestGateTest.AUTH);
    assertThat(replaced.idPrefixes(Map.of("x_", "ledgers"))).isSameAs(replaced);
    assertThat(replaced.idPrefixes()).containsExactly(Map.entry("x_", "ledgers"));
    assertThat(replaced.idPrefix("y_", "ledgers")).isSameAs(replaced);
    assertThat(replaced.idPrefixes()).containsExactly(Map.entry("x_", "ledgers"), Map.entry("y_", "ledgers"));
    BlnkAuthFilter.Builder emptied = BlnkAuthFilter.builder(RequestGateTest.AUTH);
    assertThat(emptied.idPrefixes(Map.of())).isSameAs(emptied);
    assertThat(emptied.idPrefixes()).isEmpty();
    for (String bad : List.of("", "a/b", "/")) {
      assertThatThrownBy(() -> b.route(bad, "ledgers")).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a segment is non-empty and has no '/'");
      assertThatThrownBy(() -> b.idPrefix(bad, "ledgers")).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(b.route("a", "ledgers").routes).containsEntry("a", "ledgers");

    assertThat(b.maxBodyBytes(1)).isSameAs(b);
    assertThat(b.maxBodyBytes).isEqualTo(1);
    BlnkAuthFilter.Builder largest = BlnkAuthFilter.builder(RequestGateTest.AUTH);
    assertThat(largest.maxBodyBytes(Integer.MAX_VALUE - 8).maxBodyBytes).isEqualTo(Integer.MAX_VALUE - 8);
    assertThatThrownBy(() -> b.maxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBodyBytes must be between 1 and 2^31-9, was 0");
    assertThatThrownBy(() -> b.maxBodyBytes(Integer.MAX_VALUE - 7L)).isInstanceOf(IllegalArgumentException.class);

    assertThat(b.refusalDrainBytes(0)).isSameAs(b);
    assertThat(b.refusalDrainBytes).isZero();
    assertThat(BlnkAuthFilter.builder(RequestGateTest.AUTH).refusalDrainBytes(7).refusalDrainBytes)
        .isEqualTo(7);
    assertThatThrownBy(() -> b.refusalDrainBytes(7)).isInstanceOf(IllegalStateException.class)
        .hasMessage("refusalDrainBytes is already set");
    assertThatThrownBy(() -> b.refusalDrainBytes(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refusalDrainBytes must not be negative, was -1");
    assertThat(b.build()).isNotNull();
  }
}
