package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.MappingMatch;
import io.blnk.auth.Admission;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.UsagePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The request gate on its own: each decision as a value, without a container. */
final class RequestGateTest {

  static final BlnkAuth AUTH =
      BlnkAuth.builder()
          .store(KeyStore.inMemory())
          .masterKey(TestServer.MASTER)
          .hasher(KeyHasher.hmacSha256(new byte[32]))
          .listener(AuthListener.none())
          .build();
  static final String WRITER =
      AUTH.keys()
          .create(BlnkPrincipal.master(), CreateKeyRequest.builder().name("n").owner("o").scopes("ledgers:write", "api-keys:read")
              .expiresAt(Instant.now().plusSeconds(3600)).build()).orElseThrow()
          .plaintext()
          .reveal();

  static final String META =
      AUTH.keys()
          .create(BlnkPrincipal.master(), CreateKeyRequest.builder().name("m").owner("o").scopes("metadata:write", "ledgers:write")
              .expiresAt(Instant.now().plusSeconds(3600)).build()).orElseThrow()
          .plaintext()
          .reveal();

  @AfterAll
  static void close() {
    AUTH.close();
  }

  static RequestGate gate(String apiBasePath) {
    return new RequestGate(AUTH, Routes.build(AUTH.registry(), Map.of(), Map.of()), Set.of("/", "/health"), apiBasePath);
  }

  static Fakes.Request request(String method, String path, String key) {
    Fakes.Request r = new Fakes.Request().path(method, path);
    if (key != null) {
      r.header("X-Blnk-Key", key);
    }
    return r;
  }

  static Refusal refusal(RequestGate.Decision d) {
    assertThat(d).isInstanceOf(RequestGate.Refuse.class);
    return ((RequestGate.Refuse) d).refusal();
  }

  @Test
  void anAmbiguousPathIsRefusedBeforeAnythingElse() {
    Fakes.Request r = request("GET", "/ledgers", null);
    r.uri = "/ledgers/../hooks";
    assertThat(refusal(gate(null).decide(r.build())).code()).isEqualTo(ErrorCode.GEN_MALFORMED_REQUEST);
  }

  @Test
  void publicPathsPassAndEverythingElseNeedsAKey() {
    assertThat(gate(null).decide(request("GET", "/health", null).build())).isInstanceOf(RequestGate.Pass.class);
    assertThat(refusal(gate(null).decide(request("GET", "/ledgers", null).build())).code())
        .isEqualTo(ErrorCode.AUTH_MISSING_API_KEY);
  }

  @Test
  void grantedRequestsAreAdmittedOrServedAsKeyManagement() {
    RequestGate.Decision d = gate(null).decide(request("POST", "/ledgers/x", WRITER).build());
    assertThat(d).isInstanceOf(RequestGate.Admit.class);
    assertThat(((RequestGate.Admit) d).path()).isEqualTo("/ledgers/x");
    d = gate(null).decide(request("GET", "/api-keys", WRITER).build());
    assertThat(d).isInstanceOf(RequestGate.ManageKeys.class);
    assertThat(((RequestGate.ManageKeys) d).path()).isEqualTo("/api-keys");
  }

  @Test
  void everyOverrideMustBeAuthorisedAsWellAsTheRealMethod() {
    for (String header : RequestGate.OVERRIDE_HEADERS) {
      Refusal r = refusal(gate(null).decide(request("POST", "/ledgers/x", WRITER).header(header, "delete").build()));
      assertThat(r.message()).isEqualTo("Insufficient permissions for ledgers:delete");
    }
    Fakes.Request form = request("POST", "/ledgers/x", WRITER);
    form.parameters.put("_method", new String[] {"DELETE"});
    assertThat(refusal(gate(null).decide(form.build())).code()).isEqualTo(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS);
    Fakes.Request query = request("PUT", "/ledgers/x", WRITER);
    query.query = "a=1&_m%65thod=GET";
    assertThat(refusal(gate(null).decide(query.build())).message()).isEqualTo("Insufficient permissions for ledgers:read");
    Fakes.Request same = request("POST", "/ledgers/x", WRITER).header("X-HTTP-Method", " put ").header("X-Method-Override", "");
    assertThat(gate(null).decide(same.build())).isInstanceOf(RequestGate.Admit.class);
  }

  @Test
  void anUnknownOverrideIsMalformed() {
    Refusal r = refusal(gate(null).decide(request("POST", "/ledgers/x", TestServer.MASTER).header("X-HTTP-Method-Override", "FROB\n").build()));
    assertThat(r.code()).isEqualTo(ErrorCode.GEN_MALFORMED_REQUEST);
    assertThat(r.message()).isEqualTo("Unknown method override \"FROB\"");
  }

  @Test
  void queryValuesDecodeLikeAContainer() {
    assertThat(RequestGate.queryValues("_method=a&x=1&_method=b%20c&_method", "_method")).containsExactly("a", "b c", "");
    assertThat(RequestGate.queryValues(null, "_method")).isEmpty();
    assertThat(RequestGate.queryValues("_method=%zz", "_method")).containsExactly("%zz");
  }

  @Test
  void theApiRootFollowsAPathMappingOrTheConfiguredBase() {
    Fakes.Request mapped = request("GET", "/api/health", null);
    mapped.servletPath = "/api";
    mapped.pathInfo = "/health";
    mapped.match = MappingMatch.PATH;
    assertThat(gate(null).decide(mapped.build())).isInstanceOf(RequestGate.Pass.class);
    assertThat(refusal(gate("").decide(mapped.build())).code()).isEqualTo(ErrorCode.AUTH_MISSING_API_KEY);
    assertThat(gate("/api").decide(request("GET", "/api/health", null).build())).isInstanceOf(RequestGate.Pass.class);
    RequestGate.Decision outside = gate("/api").decide(request("GET", "/api-keys", WRITER).build());
    assertThat(refusal(outside).code()).isEqualTo(ErrorCode.AUTH_UNKNOWN_RESOURCE);
  }

  @Test
  void insideRootKeepsSegmentBoundaries() {
    assertThat(RequestGate.insideRoot("/a/b", "")).isEqualTo("/a/b");
    assertThat(RequestGate.insideRoot("/api", "/api")).isEqualTo("/");
    assertThat(RequestGate.insideRoot("/api/", "/api")).isEqualTo("/");
    assertThat(RequestGate.insideRoot("/api/x", "/api")).isEqualTo("/x");
    assertThat(RequestGate.insideRoot("/apix", "/api")).isNull();
    assertThat(RequestGate.insideRoot("/ap", "/api")).isNull();
  }

  @Test
  void twoKeysAreMalformed() {
    Fakes.Request r = request("GET", "/ledgers", WRITER).header("X-Blnk-Key", WRITER);
    assertThat(RequestGate.presentedKey(r.build())).isEqualTo("\u0000");
    assertThat(RequestGate.presentedKey(request("GET", "/", null).build())).isNull();
    assertThat(List.of(RequestGate.KNOWN_METHODS.toArray())).contains("PATCH", "DELETE");
  }
  static BlnkAuth auth(boolean secure, KeyStore store) {
    return BlnkAuth.builder()
        .store(store)
        .masterKey(TestServer.MASTER)
        .hasher(KeyHasher.hmacSha256(new byte[32]))
        .listener(AuthListener.none())
        .secure(secure)
        .build();
  }

  @Test
  void withSecureModeOffEverythingPassesButKeyManagementIsRefused() {
    try (BlnkAuth open = auth(false, KeyStore.inMemory())) {
      RequestGate g = new RequestGate(open, Routes.build(open.registry(), Map.of(), Map.of()), Set.of(), null);
      assertThat(g.decide(request("DELETE", "/ledgers/x", null).build())).isInstanceOf(RequestGate.Pass.class);
      assertThat(refusal(g.decide(request("GET", "/api-keys", TestServer.MASTER).build())).code())
          .isEqualTo(ErrorCode.AUTH_MISSING_PRINCIPAL);
    }
  }

  @Test
  void aFailingStoreIsUnavailableNeverGranted() {
    try (BlnkAuth down = auth(true, new FilterHttpCases.FailingStore())) {
      RequestGate g = new RequestGate(down, Routes.build(down.registry(), Map.of(), Map.of()), Set.of(), null);
      assertThat(refusal(g.decide(request("GET", "/ledgers", WRITER).build())).code())
          .isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
    }
  }

  @Test
  void aPostWhoseParametersCannotBeReadIsMalformed() {
    HttpServletRequest broken =
        new HttpServletRequestWrapper(request("POST", "/ledgers/x", WRITER).build()) {
          @Override
          public String[] getParameterValues(String name) {
            throw new IllegalStateException("form too large");
          }
        };
    Refusal r = refusal(gate(null).decide(broken));
    assertThat(r.code()).isEqualTo(ErrorCode.GEN_MALFORMED_REQUEST);
    assertThat(r.message()).isEqualTo("Request parameters could not be read");
  }

  @Test
  void aGetTakesItsOverrideFromTheQueryNotTheForm() {
    Fakes.Request r = request("GET", "/ledgers/x", WRITER);
    r.parameters.put("_method", new String[] {"DELETE"}); // only a POST's parameters count
    // WRITER has ledgers:write only; a GET is refused for want of ledgers:read, not ledgers:delete
    assertThat(refusal(gate(null).decide(r.build())).message()).isEqualTo("Insufficient permissions for ledgers:read");
    Fakes.Request post = request("POST", "/ledgers/x", WRITER);
    post.query = "_method=DELETE"; // a POST's override comes from its parameters, here none
    assertThat(gate(null).decide(post.build())).isInstanceOf(RequestGate.Admit.class);
  }

  @Test
  void aRequestOutsideTheApiRootIsAdmittedWithItsWholePath() {
    RequestGate.Decision d = gate("/api").decide(request("GET", "/other/page", TestServer.MASTER).build());
    assertThat(d).isInstanceOf(RequestGate.Admit.class);
    assertThat(((RequestGate.Admit) d).path()).isEqualTo("/other/page");
    RequestGate.Decision inside = gate("/api").decide(request("POST", "/api/ledgers/x", WRITER).build());
    assertThat(((RequestGate.Admit) inside).path()).isEqualTo("/ledgers/x");
  }

  @Test
  void theConsoleIsServedWithoutAKey() {
    RequestGate g = new RequestGate(AUTH, Routes.build(AUTH.registry(), Map.of(), Map.of()), Set.of(), null,
        new ConsolePage("/console", AUTH));
    RequestGate.Decision d = g.decide(request("GET", "/console", null).build());
    assertThat(d).isInstanceOf(RequestGate.ServeConsole.class);
    assertThat(((RequestGate.ServeConsole) d).path()).isEqualTo("/console");
    assertThat(refusal(g.decide(request("GET", "/ledgers", null).build())).code()).isEqualTo(ErrorCode.AUTH_MISSING_API_KEY);
  }

  @Test
  void anIdRouteNeedsTheRouteAndTheRecordsResource() {
    RequestGate.Decision both = gate(null).decide(request("POST", "/ldg_1/metadata", META).build());
    assertThat(both).isInstanceOf(RequestGate.Admit.class);
    assertThat(refusal(gate(null).decide(request("POST", "/txn_1/metadata", META).build())).message())
        .isEqualTo("Insufficient permissions for transactions:write");
    assertThat(refusal(gate(null).decide(request("POST", "/ldg_1/metadata", WRITER).build())).message())
        .isEqualTo("Insufficient permissions for metadata:write");
    assertThat(refusal(gate(null).decide(request("POST", "/zzz_1/metadata", META).build())).code())
        .isEqualTo(ErrorCode.AUTH_UNKNOWN_RESOURCE);
    assertThat(refusal(gate(null).decide(request("POST", "/x/y", META).build())).code())
        .isEqualTo(ErrorCode.AUTH_UNKNOWN_RESOURCE);
  }
  // Fresh per test below: each builds its own BlnkAuth, keys and gate.

  private static String key(BlnkAuth auth, UsagePolicy usage, String... scopes) {
    return auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("k")
                .owner("o")
                .scopes(scopes)
                .usage(usage)
                .expiresAt(Instant.now().plusSeconds(3600))
                .build()).orElseThrow()
        .plaintext()
        .reveal();
  }

  private static RequestGate gate(BlnkAuth auth, String base, LeakReportEndpoint leaks, Map<String, Long> costs) {
    return new RequestGate(
        auth, Routes.build(auth.registry(), Map.of(), Map.of()), Set.of("/health"), base, null, ClientAddress.SOCKET, leaks, costs);
  }

  @Test
  void theLeakReportPathIsServedWithoutAKey() throws Exception {
    try (BlnkAuth auth = auth(true, KeyStore.inMemory())) {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      LeakReportEndpoint leaks =
          new LeakReportEndpoint(
              "/gh/leaks",
              Map.of("k", LeakReportEndpointTest.pem(g.generateKeyPair().getPublic().getEncoded())),
              (t, u, src) -> false,
              1000);
      RequestGate gate = gate(auth, null, leaks, Map.of());
      assertThat(gate.decide(request("POST", "/gh/leaks", null).build())).isInstanceOf(RequestGate.ReportLeaks.class);
      assertThat(refusal(gate.decide(request("POST", "/gh/leaks/x", null).build())).code())
          .isEqualTo(ErrorCode.AUTH_MISSING_API_KEY);
      assertThat(refusal(gate(auth, null, null, Map.of()).decide(request("POST", "/gh/leaks", null).build())).code())
          .isEqualTo(ErrorCode.AUTH_MISSING_API_KEY);
    }
  }

  @Test
  void aKeyReadsItsOwnRecordWithoutScopeButNeedsScopeForAnythingElse() {
    try (BlnkAuth auth = auth(true, KeyStore.inMemory())) {
      String plain = key(auth, UsagePolicy.NONE, "ledgers:read");
      RequestGate gate = gate(auth, null, null, Map.of());
      for (String method : new String[] {"GET", "HEAD"}) {
        RequestGate.Decision d = gate.decide(request(method, "/api-keys/self", plain).build());
        assertThat(d).as(method).isInstanceOf(RequestGate.ManageKeys.class);
        assertThat(((RequestGate.ManageKeys) d).path()).isEqualTo("/api-keys/self");
      }
      assertThat(refusal(gate.decide(request("PATCH", "/api-keys/self", plain).build())).message())
          .isEqualTo("Insufficient permissions for api-keys:write");
      assertThat(refusal(gate.decide(request("DELETE", "/api-keys/self", plain).build())).message())
          .isEqualTo("Insufficient permissions for api-keys:delete");
      assertThat(refusal(gate.decide(request("GET", "/api-keys/self", plain).header("X-HTTP-Method-Override", "DELETE").build())).message())
          .isEqualTo("Insufficient permissions for api-keys:delete");
      assertThat(refusal(gate.decide(request("GET", "/api-keys", plain).build())).message())
          .isEqualTo("Insufficient permissions for api-keys:read");
      assertThat(refusal(gate.decide(request("GET", "/api-keys/selfish", plain).build())).message())
          .isEqualTo("Insufficient permissions for api-keys:read");
    }
  }

  @Test
  void usageIsChargedTheFirstSegmentsCostAfterAuthorisation() {
    try (BlnkAuth auth = auth(true, KeyStore.inMemory())) {
      String plain = key(auth, new UsagePolicy(List.of(), java.util.Optional.of(Credits.of(5))), "ledgers:write", "transactions:write");
      RequestGate gate = gate(auth, null, null, Map.of("ledgers", 3L));
      Fakes.Request first = request("POST", "/ledgers/x", plain);
      assertThat(gate.decide(first.build())).isInstanceOf(RequestGate.Admit.class);
      assertThat(first.attributes.get(RateLimitFields.ATTRIBUTE)).isInstanceOfSatisfying(Admission.class, a -> assertThat(a.admitted()).isTrue());
      // 3 of 5 spent: another ledgers request (3) is refused, two transactions requests (1 each) are not
      Fakes.Request second = request("POST", "/ledgers/x", plain);
      Refusal r = refusal(gate.decide(second.build()));
      assertThat(r.code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
      assertThat(second.attributes.get(RateLimitFields.ATTRIBUTE))
          .isInstanceOfSatisfying(Admission.class, a -> assertThat(a.admitted()).isFalse());
      assertThat(gate.decide(request("POST", "/transactions/x", plain).build())).isInstanceOf(RequestGate.Admit.class);
      assertThat(gate.decide(request("POST", "/transactions/x", plain).build())).isInstanceOf(RequestGate.Admit.class);
      assertThat(refusal(gate.decide(request("POST", "/transactions/x", plain).build())).code())
          .isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
      // an unauthorised request is refused for its scope and charged nothing
      assertThat(refusal(gate.decide(request("DELETE", "/ledgers/x", plain).build())).code())
          .isEqualTo(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS);
    }
  }

  @Test
  void aRequestOutsideTheRootCostsOne() {
    try (BlnkAuth auth = auth(true, KeyStore.inMemory())) {
      String plain = key(auth, new UsagePolicy(List.of(), java.util.Optional.of(Credits.of(2))), "ledgers:read");
      RequestGate gate = gate(auth, "/api", null, Map.of("other", 5L));
      String master = TestServer.MASTER;
      assertThat(master).isNotEqualTo(plain);
      RequestGate.Decision d = gate.decide(request("GET", "/other/page", plain).build());
      assertThat(refusal(d).code()).as("outside the root only an unscoped key passes").isEqualTo(ErrorCode.AUTH_UNKNOWN_RESOURCE);
      // the master key has no usage controls: outside the root it is admitted with its whole path
      RequestGate.Decision m = gate.decide(request("GET", "/other/page", master).build());
      assertThat(((RequestGate.Admit) m).path()).isEqualTo("/other/page");
      // inside the root, a path whose segment has no rule costs 1: two admitted, the third refused
      assertThat(gate.decide(request("GET", "/api/ledgers/x", plain).build())).isInstanceOf(RequestGate.Admit.class);
      assertThat(gate.decide(request("GET", "/api/ledgers/x", plain).build())).isInstanceOf(RequestGate.Admit.class);
      assertThat(refusal(gate.decide(request("GET", "/api/ledgers/x", plain).build())).code())
          .isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
    }
  }

  @Test
  void aPathTheContainerCannotDecodeIsMalformed() {
    HttpServletRequest broken =
        new HttpServletRequestWrapper(request("GET", "/ledgers", TestServer.MASTER).build()) {
          @Override
          public String getServletPath() {
            throw new IllegalArgumentException("ambiguous");
          }
        };
    assertThat(RequestGate.checkedPath(broken)).isNull();
    Refusal r = refusal(gate(null).decide(broken));
    assertThat(r.code()).isEqualTo(ErrorCode.GEN_MALFORMED_REQUEST);
    assertThat(r.message()).isEqualTo("Malformed request path");
    assertThat(RequestGate.checkedPath(request("GET", "/ledgers/x", null).build())).isEqualTo("/ledgers/x");
  }

  @Test
  void queryValuesSplitOnTheFirstEqualsSign() {
    assertThat(RequestGate.queryValues("=x&a=b=c&a", "")).containsExactly("x");
    assertThat(RequestGate.queryValues("=x&a=b=c&a", "a")).containsExactly("b=c", "");
    assertThat(RequestGate.queryValues("", "a")).isEmpty();
  }
}
