package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.CreatedKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The /api-keys endpoints (SPEC section 6) over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiKeysEndpointHttpCases {

  /** The container this run uses. */
  abstract TestServer.Container container();


  TestServer server;

  @BeforeAll
  void start() throws Exception {
    server = new TestServer(container());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  String future() {
    return server.clock.instant().plus(Duration.ofDays(10)).toString();
  }

  HttpResponse<String> create(String caller, String owner, String expiresAt, String... scopes) throws Exception {
    StringBuilder s = new StringBuilder("{\"name\":\"svc\"");
    if (owner != null) {
      s.append(",\"owner\":\"").append(owner).append('"');
    }
    s.append(",\"scopes\":[");
    for (int i = 0; i < scopes.length; i++) {
      s.append(i == 0 ? "" : ",").append('"').append(scopes[i]).append('"');
    }
    s.append("],\"expires_at\":\"").append(expiresAt).append("\"}");
    return server.post("/api-keys", caller, s.toString());
  }

  @Test
  void theMasterKeyCreatesAKeyWithTheDocumentedShape() throws Exception {
    HttpResponse<String> r =
        server.post(
            "/api-keys",
            MASTER,
            "{\"name\":\"Service Account\",\"owner\":\"owner_id\",\"scopes\":[\"ledgers:read\",\"balances:write\"],"
                + "\"expires_at\":\"2026-03-11T00:00:00Z\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode k = json(r.body());
    assertThat(k.path("api_key_id").asText()).matches("api_key_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(k.path("key").asText()).matches("blnk_[0-9A-Za-z]{49}");
    assertThat(k.path("name").asText()).isEqualTo("Service Account");
    assertThat(k.path("owner_id").asText()).isEqualTo("owner_id");
    assertThat(k.path("scopes").toString()).isEqualTo("[\"ledgers:read\",\"balances:write\"]");
    assertThat(k.path("expires_at").asText()).isEqualTo("2026-03-11T00:00:00Z");
    assertThat(k.path("created_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(k.path("last_used_at").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(k.path("is_revoked").isBoolean()).isTrue();
    assertThat(k.path("is_revoked").asBoolean()).isFalse();
    List<String> fields = new ArrayList<>();
    k.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .startsWith("api_key_id", "key", "name", "owner_id", "scopes", "expires_at", "created_at", "last_used_at", "is_revoked")
        .doesNotContain("key_hash", "hash");
    // The key works.
    assertThat(server.get("/ledgers", k.path("key").asText()).statusCode()).isEqualTo(200);
  }

  @Test
  void theMasterKeyMustNameAnOwner() throws Exception {
    assertError(create(MASTER, null, future(), "ledgers:read"), 400, "APIKEY_OWNER_REQUIRED", null);
    assertError(server.get("/api-keys", MASTER), 400, "APIKEY_OWNER_REQUIRED", null);
  }

  @Test
  void invalidFieldsAreNamed() throws Exception {
    HttpResponse<String> r = create(MASTER, "o", future(), "ledgers:raed");
    assertError(r, 400, "APIKEY_INVALID", null);
    assertThat(json(r.body()).path("error").asText()).contains("scopes").contains("ledgers:raed");
    r = create(MASTER, "o", "tomorrow", "ledgers:read");
    assertError(r, 400, "APIKEY_INVALID", null);
    assertThat(json(r.body()).path("error").asText()).contains("expires_at").contains("tomorrow");
    r = create(MASTER, "o", "2020-01-01T00:00:00Z", "ledgers:read");
    assertError(r, 400, "APIKEY_INVALID", null);
    r = create(MASTER, "o", future(), "nosuch:read");
    assertError(r, 400, "APIKEY_INVALID", null);
    r = server.post("/api-keys", MASTER, "{\"name\":7,\"owner\":\"o\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"" + future() + "\"}");
    assertError(r, 400, "APIKEY_INVALID", "name: expected a string, got number");
    r = server.post("/api-keys", MASTER, "{\"name\":\"n\",\"owner\":\"o\",\"scopes\":\"ledgers:read\",\"expires_at\":\"" + future() + "\"}");
    assertError(r, 400, "APIKEY_INVALID", "scopes: expected an array of strings, got string");
  }

  @Test
  void malformedJsonIsAMalformedRequest() throws Exception {
    for (String body : List.of("", "{", "[]", "null", "\"x\"", "{\"name\":\"a\",\"name\":\"b\"}", "{} {}", "{'a':1}")) {
      assertError(server.post("/api-keys", MASTER, body), 400, "GEN_MALFORMED_REQUEST", null);
    }
  }

  @Test
  void aScopedKeyCreatesForItsOwnOwnerWithinItsScopes() throws Exception {
    CreatedKey admin = server.createKey("team-a", "api-keys:*", "ledgers:read");
    HttpResponse<String> r = create(key(admin), null, future(), "ledgers:read");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r.body()).path("owner_id").asText()).isEqualTo("team-a");
    assertError(create(key(admin), "team-b", future(), "ledgers:read"), 403, "AUTH_CROSS_OWNER_ACCESS", null);
    assertError(create(key(admin), null, future(), "ledgers:write"), 403, "AUTH_SCOPE_ESCALATION", null);
    assertError(create(key(admin), null, future(), "*:*"), 403, "AUTH_SCOPE_ESCALATION", null);
  }

  @Test
  void aDelegatedKeyMayNotOutliveItsCreator() throws Exception {
    CreatedKey admin =
        server.createKey("team-d", server.clock.instant().plus(Duration.ofDays(2)), "api-keys:write", "ledgers:read");
    HttpResponse<String> r = create(key(admin), null, server.clock.instant().plus(Duration.ofDays(3)).toString(), "ledgers:read");
    assertError(r, 400, "APIKEY_INVALID", null);
    assertThat(json(r.body()).path("error").asText()).contains("expires_at");
    assertThat(create(key(admin), null, server.clock.instant().plus(Duration.ofDays(1)).toString(), "ledgers:read").statusCode())
        .isEqualTo(201);
  }

  @Test
  void keyManagementNeedsTheMatchingApiKeysScope() throws Exception {
    CreatedKey reader = server.createKey("team-s", "api-keys:read");
    CreatedKey ledgers = server.createKey("team-s", "ledgers:*");
    assertThat(server.get("/api-keys", key(reader)).statusCode()).isEqualTo(200);
    assertError(create(key(reader), null, future(), "api-keys:read"), 403, "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for api-keys:write");
    assertError(server.send("DELETE", "/api-keys/" + ledgers.apiKey().id(), key(reader), null), 403,
        "AUTH_INSUFFICIENT_PERMISSIONS", "Insufficient permissions for api-keys:delete");
    assertError(server.post("/api-keys/" + ledgers.apiKey().id() + "/rotate", key(reader), null), 403,
        "AUTH_INSUFFICIENT_PERMISSIONS", "Insufficient permissions for api-keys:write");
    assertError(server.get("/api-keys", key(ledgers)), 403, "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for api-keys:read");
  }

  @Test
  void listingIsNewestFirstWithPrefixesAndNoSecrets() throws Exception {
    assertThat(server.get("/api-keys?owner=nobody-here", MASTER).body()).isEqualTo("[]");
    CreatedKey first = server.createKey("team-l", "ledgers:read");
    server.clock.advance(Duration.ofSeconds(1));
    CreatedKey second = server.createKey("team-l", "balances:read");
    server.get("/ledgers", key(first));
    server.auth.flushLastUsed();
    HttpResponse<String> r = server.get("/api-keys?owner=team-l", MASTER);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode list = json(r.body());
    assertThat(list.size()).isEqualTo(2);
    assertThat(list.get(0).path("api_key_id").asText()).isEqualTo(second.apiKey().id().value());
    assertThat(list.get(1).path("api_key_id").asText()).isEqualTo(first.apiKey().id().value());
    assertThat(list.get(0).path("key_prefix").asText()).matches("blnk_[0-9A-Za-z]{8}");
    assertThat(list.get(0).has("key")).isFalse();
    assertThat(list.get(0).path("last_used_at").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(list.get(1).path("last_used_at").asText()).isEqualTo(server.clock.instant().toString());
    assertThat(r.body()).doesNotContain(key(first)).doesNotContain("$argon").doesNotContain("hash");
  }

  @Test
  void aScopedKeyListsOnlyItsOwnOwner() throws Exception {
    CreatedKey k = server.createKey("team-own", "api-keys:read");
    HttpResponse<String> mine = server.get("/api-keys", key(k));
    assertThat(json(mine.body()).get(0).path("owner_id").asText()).isEqualTo("team-own");
    assertThat(server.get("/api-keys?owner=team-own", key(k)).statusCode()).isEqualTo(200);
    assertError(server.get("/api-keys?owner=team-other", key(k)), 403, "AUTH_CROSS_OWNER_ACCESS", null);
  }

  @Test
  void revocationIsIdempotentAndKeepsTheFirstRevocationTime() throws Exception {
    CreatedKey k = server.createKey("team-r", "ledgers:read");
    String path = "/api-keys/" + k.apiKey().id() + "?owner=team-r";
    HttpResponse<String> r = server.send("DELETE", path, MASTER, null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    Instant firstRevocation = server.clock.instant();
    server.clock.advance(Duration.ofMinutes(5));
    assertThat(server.send("DELETE", path, MASTER, null).statusCode()).isEqualTo(204);
    JsonNode listed = json(server.get("/api-keys?owner=team-r", MASTER).body()).get(0);
    assertThat(listed.path("is_revoked").asBoolean()).isTrue();
    assertThat(listed.path("revoked_at").asText()).isEqualTo(firstRevocation.toString());
  }

  @Test
  void revokingAnotherOwnersKeyIsNotFoundAndTheKeyStaysValid() throws Exception {
    CreatedKey victim = server.createKey("team-victim", "ledgers:read");
    CreatedKey attacker = server.createKey("team-attacker", "api-keys:*");
    assertError(server.send("DELETE", "/api-keys/" + victim.apiKey().id(), key(attacker), null), 404,
        "APIKEY_NOT_FOUND", "API key not found");
    assertError(server.send("DELETE", "/api-keys/" + victim.apiKey().id() + "?owner=team-victim", key(attacker), null),
        403, "AUTH_CROSS_OWNER_ACCESS", null);
    assertError(server.send("DELETE", "/api-keys/" + victim.apiKey().id() + "?owner=team-attacker", MASTER, null), 404,
        "APIKEY_NOT_FOUND", null);
    assertError(server.send("DELETE", "/api-keys/api_key_nope", MASTER, null), 404, "APIKEY_NOT_FOUND", null);
    assertThat(server.get("/ledgers", key(victim)).statusCode()).isEqualTo(200);
  }

  @Test
  void rotationGivesANewKeyAndTheOldOneWorksOnlyDuringTheGrace() throws Exception {
    CreatedKey old = server.createKey("team-rot", "ledgers:read");
    HttpResponse<String> r =
        server.post("/api-keys/" + old.apiKey().id() + "/rotate?owner=team-rot", MASTER, "{\"grace_period\":\"PT1H\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode fresh = json(r.body());
    assertThat(fresh.path("api_key_id").asText()).isNotEqualTo(old.apiKey().id().value());
    assertThat(fresh.path("name").asText()).isEqualTo(old.apiKey().name());
    assertThat(fresh.path("scopes").toString()).isEqualTo("[\"ledgers:read\"]");
    String newKey = fresh.path("key").asText();
    assertThat(server.get("/ledgers", key(old)).statusCode()).isEqualTo(200);
    server.clock.advance(Duration.ofMinutes(59));
    assertThat(server.get("/ledgers", key(old)).statusCode()).isEqualTo(200);
    server.clock.advance(Duration.ofMinutes(1));
    assertError(server.get("/ledgers", key(old)), 401, "AUTH_EXPIRED_API_KEY", null);
    assertThat(server.get("/ledgers", newKey).statusCode()).isEqualTo(200);
  }

  @Test
  void rotationTakesTheGraceInSecondsOrTheDefault() throws Exception {
    CreatedKey a = server.createKey("team-rot2", "ledgers:read");
    assertThat(server.post("/api-keys/" + a.apiKey().id() + "/rotate?owner=team-rot2", MASTER, "{\"grace_period\":0}")
            .statusCode()).isEqualTo(201);
    assertError(server.get("/ledgers", key(a)), 401, "AUTH_EXPIRED_API_KEY", null);
    CreatedKey b = server.createKey("team-rot2", "ledgers:read");
    assertThat(server.post("/api-keys/" + b.apiKey().id() + "/rotate?owner=team-rot2", MASTER, null).statusCode())
        .isEqualTo(201);
    assertThat(server.get("/ledgers", key(b)).statusCode()).isEqualTo(200);
    assertError(server.post("/api-keys/" + b.apiKey().id() + "/rotate?owner=team-rot2", MASTER, "{\"grace_period\":true}"),
        400, "APIKEY_INVALID", null);
    assertError(server.post("/api-keys/" + b.apiKey().id() + "/rotate?owner=team-rot2", MASTER, "{\"grace_period\":\"P30D\"}"),
        400, "APIKEY_INVALID", null);
  }

  @Test
  void aScopedKeyRotatesOnlyItsOwnOwnersKeys() throws Exception {
    CreatedKey admin = server.createKey("team-x", "api-keys:write", "ledgers:read");
    CreatedKey mine = server.createKey("team-x", "ledgers:read");
    CreatedKey theirs = server.createKey("team-y", "ledgers:read");
    assertThat(server.post("/api-keys/" + mine.apiKey().id() + "/rotate", key(admin), null).statusCode()).isEqualTo(201);
    assertError(server.post("/api-keys/" + theirs.apiKey().id() + "/rotate", key(admin), null), 404, "APIKEY_NOT_FOUND", null);
  }

  @Test
  void unsupportedEndpointsAreRefused() throws Exception {
    HttpResponse<String> put = server.send("PUT", "/api-keys", MASTER, "{}");
    assertError(put, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
    // GET /api-keys/{id} reads a key now (issue 12): an unknown id is 404; PUT is still refused.
    assertError(server.get("/api-keys/some-id", MASTER), 404, "APIKEY_NOT_FOUND", null);
    HttpResponse<String> put2 = server.send("PUT", "/api-keys/some-id", MASTER, "{}");
    assertError(put2, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(put2.headers().firstValue("Allow")).hasValue("GET, HEAD, PATCH, DELETE");
    HttpResponse<String> rotate = server.send("DELETE", "/api-keys/some-id/rotate", MASTER, null);
    assertError(rotate, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(rotate.headers().firstValue("Allow")).hasValue("POST");
    assertError(server.get("/api-keys/x/y/z", MASTER), 400, "GEN_MALFORMED_REQUEST", null);
  }

  @Test
  void headListsWithoutABody() throws Exception {
    HttpResponse<String> r = server.send("HEAD", "/api-keys?owner=o", MASTER, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }
}
