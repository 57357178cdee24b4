package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The order of a request's decision (SPEC section 4), over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterHttpCases {

  /** The container this run uses. */
  abstract TestServer.Container container();


  TestServer server;

  @BeforeAll
  void start() throws Exception {
    server = new TestServer(container());
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  static void assertError(HttpResponse<String> r, int status, String code, String message) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = json(r.body());
    assertThat(body.path("error_detail").path("code").asText()).isEqualTo(code);
    if (message != null) {
      assertThat(body.path("error").asText()).isEqualTo(message);
      assertThat(body.path("error_detail").path("message").asText()).isEqualTo(message);
    }
    assertThat(body.size()).isEqualTo(2);
  }

  @Test
  void publicPathsPassWithoutAKeyAndWithoutAPrincipal() throws Exception {
    for (String path : List.of("/", "/health")) {
      HttpResponse<String> r = server.get(path, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(json(r.body()).path("principal").isNull()).isTrue();
    }
  }

  @Test
  void aPublicPathIsMatchedExactly() throws Exception {
    assertError(server.get("/health/x", null), 401, "AUTH_MISSING_API_KEY", null);
  }

  @Test
  void aRequestWithoutAKeyIsRefused() throws Exception {
    assertError(
        server.get("/ledgers", null), 401, "AUTH_MISSING_API_KEY", "Authentication required. Use X-Blnk-Key header");
  }

  @Test
  void anEmptyKeyIsMissing() throws Exception {
    assertError(server.get("/ledgers", ""), 401, "AUTH_MISSING_API_KEY", null);
  }

  @Test
  void theHeaderNameIsCaseInsensitive() throws Exception {
    for (String name : List.of("x-blnk-key", "X-BLNK-KEY", "X-blnk-key")) {
      HttpRequest r = HttpRequest.newBuilder(server.uri("/ledgers")).header(name, MASTER).build();
      assertThat(server.client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theMasterKeyMayDoAnythingIncludingMasterOnlyResourcesAndOddMethods() throws Exception {
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
      HttpResponse<String> r = server.send(method, "/hooks", MASTER, null);
      assertThat(r.statusCode()).as(method).isEqualTo(200);
      assertThat(json(r.body()).path("principal").asText()).isEqualTo("master");
    }
    assertThat(server.get("/anything-at-all", MASTER).statusCode()).isEqualTo(200);
  }

  @Test
  void aMalformedKeyIsInvalid() throws Exception {
    assertError(server.get("/ledgers", "blnk_nope"), 401, "AUTH_INVALID_API_KEY", "Invalid API key");
  }

  @Test
  void anUnknownWellFormedKeyIsInvalid() throws Exception {
    String forged = server.auth.keyFormat().generate(new java.security.SecureRandom()).reveal();
    assertError(server.get("/ledgers", forged), 401, "AUTH_INVALID_API_KEY", "Invalid API key");
  }

  @Test
  void twoKeyHeadersAreAnInvalidKey() throws Exception {
    CreatedKey k = server.createKey("owner-two", "ledgers:read");
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/ledgers")).header("X-Blnk-Key", key(k)).header("X-Blnk-Key", key(k)).build();
    assertError(server.client.send(r, HttpResponse.BodyHandlers.ofString()), 401, "AUTH_INVALID_API_KEY", null);
  }

  @Test
  void aValidScopedKeyReachesTheApplicationWithItsPrincipal() throws Exception {
    CreatedKey k = server.createKey("owner-a", "ledgers:read");
    HttpResponse<String> r = server.get("/ledgers/ldg_1?role=ledgers:read", key(k));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode seen = json(r.body());
    assertThat(seen.path("principal").asText()).isEqualTo(k.apiKey().id().value());
    assertThat(seen.path("attribute").asText()).isEqualTo(k.apiKey().id().value());
    assertThat(seen.path("inRole").asBoolean()).isTrue();
  }

  @Test
  void isUserInRoleAnswersScopeCoverage() throws Exception {
    CreatedKey k = server.createKey("owner-a", "ledgers:*", "balances:read");
    for (Map.Entry<String, Boolean> e :
        Map.of(
                "ledgers:delete", true,
                "balances:read", true,
                "balances:write", false,
                "hooks:read", false,
                "*:*", false,
                "not-a-scope", false)
            .entrySet()) {
      JsonNode seen = json(server.get("/ledgers?role=" + e.getKey(), key(k)).body());
      assertThat(seen.path("inRole").asBoolean()).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void anInsufficientKeyIsRefusedNamingResourceAndAction() throws Exception {
    CreatedKey k = server.createKey("owner-a", "ledgers:read");
    int before = server.servletHits.get();
    assertError(
        server.post("/ledgers", key(k), "{}"),
        403,
        "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for ledgers:write");
    assertError(
        server.send("DELETE", "/ledgers/ldg_1", key(k), null),
        403,
        "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for ledgers:delete");
    assertError(
        server.get("/balances", key(k)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", "Insufficient permissions for balances:read");
    assertThat(server.servletHits.get()).isEqualTo(before);
  }

  @Test
  void methodsMapToActions() throws Exception {
    CreatedKey read = server.createKey("owner-a", "ledgers:read");
    CreatedKey write = server.createKey("owner-a", "ledgers:write");
    assertThat(server.send("HEAD", "/ledgers", key(read), null).statusCode()).isEqualTo(200);
    assertThat(server.send("PATCH", "/ledgers/x", key(write), "{}").statusCode()).isEqualTo(200);
    assertThat(server.send("PUT", "/ledgers/x", key(write), "{}").statusCode()).isEqualTo(200);
    assertThat(server.send("HEAD", "/ledgers", key(write), null).statusCode()).isEqualTo(403);
  }

  @Test
  void optionsIsNoActionSoNoScopeCoversIt() throws Exception {
    CreatedKey k = server.createKey("owner-a", "*:*");
    assertError(
        server.send("OPTIONS", "/ledgers", key(k), null),
        403,
        "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for ledgers:options");
  }

  @Test
  void anUnknownResourceIsRefused() throws Exception {
    CreatedKey k = server.createKey("owner-a", "*:*");
    assertError(server.get("/nothing-here", key(k)), 403, "AUTH_UNKNOWN_RESOURCE", "Unknown resource type");
    assertError(server.get("/Ledgers", key(k)), 403, "AUTH_UNKNOWN_RESOURCE", null);
  }

  @Test
  void aMasterOnlyResourceRefusesEvenAWildcardKey() throws Exception {
    CreatedKey k = server.createKey("owner-a", "*:*");
    assertError(server.get("/hooks", key(k)), 403, "AUTH_MASTER_KEY_REQUIRED", null);
  }

  @Test
  void blnkAliasesAndIdMetadataMapToTheirResources() throws Exception {
    CreatedKey k = server.createKey(
            "owner-a", "accounts:write", "search:write", "transactions:write", "balances:write", "metadata:write");
    for (String path :
        List.of("/mocked-account", "/multi-search/ledgers", "/refund-transaction/txn_1", "/txn_1/metadata", "/bln_2/metadata/")) {
      assertThat(server.post(path, key(k), "{}").statusCode()).as(path).isEqualTo(200);
    }
    assertThat(server.post("/txn_1/metadata/x", key(k), "{}").statusCode()).isEqualTo(403);
  }

  @Test
  void anExpiredKeyIsRefusedOnceTheClockPassesItsExpiry() throws Exception {
    CreatedKey k = server.createKey("owner-exp", server.clock.instant().plus(Duration.ofHours(1)), "ledgers:read");
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    server.clock.advance(Duration.ofHours(1));
    try {
      assertError(server.get("/ledgers", key(k)), 401, "AUTH_EXPIRED_API_KEY", "API key is expired or revoked");
    } finally {
      server.clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void aRevokedKeyIsRefusedOnTheVeryNextRequest() throws Exception {
    CreatedKey k = server.createKey("owner-rev", "ledgers:read");
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    assertThat(server.send("DELETE", "/api-keys/" + k.apiKey().id() + "?owner=owner-rev", MASTER, null).statusCode())
        .isEqualTo(204);
    assertError(server.get("/ledgers", key(k)), 401, "AUTH_EXPIRED_API_KEY", null);
  }

  @Test
  void theMasterKeyNeverTagsAndScopedKeysDo() throws Exception {
    server.post("/ledgers", MASTER, "{\"name\":\"x\"}");
    assertThat(server.lastSeen.get().get("body")).isEqualTo("{\"name\":\"x\"}");
    CreatedKey k = server.createKey("owner-a", "ledgers:write");
    server.post("/ledgers", key(k), "{\"name\":\"x\"}");
    assertThat(server.lastSeen.get().get("body"))
        .isEqualTo("{\"name\":\"x\",\"meta_data\":{\"BLNK_GENERATED_BY\":\"" + k.apiKey().id() + "\"}}");
  }

  @Test
  void secureModeOffLetsEverythingPassWithoutAPrincipalButNotKeyManagement() throws Exception {
    try (TestServer open = new TestServer(container(), false, b -> {}, f -> {})) {
      HttpResponse<String> r = open.send("DELETE", "/hooks", null, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(json(r.body()).path("principal").isNull()).isTrue();
      assertThat(open.post("/ledgers", null, "{\"a\":1}").statusCode()).isEqualTo(200);
      assertThat(open.lastSeen.get().get("body")).isEqualTo("{\"a\":1}");
      for (String path : List.of("/api-keys", "/api-keys/x", "/api-keys/x/rotate")) {
        assertError(open.get(path, MASTER), 401, "AUTH_MISSING_PRINCIPAL", null);
        assertError(open.post(path, null, "{}"), 401, "AUTH_MISSING_PRINCIPAL", null);
      }
    }
  }

  @Test
  void hostRoutesAndPublicPathsAreHonoured() throws Exception {
    try (TestServer custom =
        new TestServer(
            container(),
            true,
            b -> {},
            f -> f.publicPaths(Set.of("/status")).route("wallets", "balances").routeById("notes", "metadata"))) {
      assertThat(custom.get("/status", null).statusCode()).isEqualTo(200);
      assertThat(custom.get("/health", null).statusCode()).isEqualTo(401);
      CreatedKey k = custom.createKey("o", "balances:read", "metadata:read");
      assertThat(custom.get("/wallets/w1", key(k)).statusCode()).isEqualTo(200);
      assertThat(custom.get("/bln_1/notes", key(k)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aFailingStoreAnswers503AndNeverGrants() throws Exception {
    KeyStore failing = new FailingStore();
    try (TestServer s = new TestServer(container(), true, b -> {}, f -> {}, false, List.of(), failing, io.blnk.auth.AuthListener.none())) {
      String someKey = s.auth.keyFormat().generate(new java.security.SecureRandom()).reveal();
      assertError(s.get("/ledgers", someKey), 503, "AUTH_STORE_UNAVAILABLE", null);
      assertError(s.get("/api-keys?owner=o", MASTER), 503, "AUTH_STORE_UNAVAILABLE", null);
      assertThat(s.servletHits.get()).isZero();
    }
  }

  @Test
  void anUnexpectedFailureIsA500WithoutDetail() throws Exception {
    KeyStore broken =
        new FailingStore() {
          @Override
          public Optional<StoredKey> findByLookupId(String lookupId) {
            throw new IllegalStateException("internal detail: table blnk_api_keys is corrupt");
          }

          @Override
          public List<ApiKey> listByOwner(OwnerId owner) {
            throw new IllegalStateException("internal detail: table blnk_api_keys is corrupt");
          }
        };
    try (TestServer s = new TestServer(container(), true, b -> {}, f -> {}, false, List.of(), broken, io.blnk.auth.AuthListener.none())) {
      String someKey = s.auth.keyFormat().generate(new java.security.SecureRandom()).reveal();
      HttpResponse<String> r = s.get("/ledgers", someKey);
      assertError(r, 500, "GEN_INTERNAL", "Internal server error");
      assertThat(r.body()).doesNotContain("internal detail");
      assertError(s.get("/api-keys?owner=o", MASTER), 500, "GEN_INTERNAL", "Internal server error");
      assertThat(s.servletHits.get()).isZero();
    }
  }

  /** A store whose backing system is down. */
  static class FailingStore implements KeyStore {
    private static StoreUnavailableException down(String op) {
      return new StoreUnavailableException(op, "connection refused", null);
    }

    @Override
    public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
      throw down("insert");
    }

    @Override
    public Optional<StoredKey> findByLookupId(String lookupId) {
      throw down("findByLookupId");
    }

    @Override
    public Optional<ApiKey> findById(ApiKeyId id) {
      throw down("findById");
    }

    @Override
    public List<ApiKey> listByOwner(OwnerId owner) {
      throw down("listByOwner");
    }

    @Override
    public RevokeResult revoke(ApiKeyId id, Instant at) {
      throw down("revoke");
    }

    @Override
    public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
      throw down("rotate");
    }

    @Override
    public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
      throw down("replaceHash");
    }

    @Override
    public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
      throw down("recordLastUsed");
    }

    @Override
    public AutoCloseable subscribe(KeyChangeListener listener) {
      return () -> {};
    }
  }
}
