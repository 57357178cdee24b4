package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.AuthEvent;
import io.blnk.auth.AuthListener;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.key.ApiKeyId;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The key lifecycle endpoints of issue 12 over real HTTP: read, update, disable and enable,
 * status, self, cascading revoke, meta data, IP lists and a key's events, with their refusals,
 * owner isolation and delegation rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LifecycleHttpCases {

  abstract TestServer.Container container();

  TestServer server;

  /**
   * Every event, kept in memory and read newest first with the index as the cursor: a plain
   * {@link KeyEventLog}, standing in for the JDBC audit table (tested against the databases in
   * blnk-auth-jdbc) so that this module need not depend on it.
   */
  static final class MemoryLog implements AuthListener, KeyEventLog {
    final List<AuthEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(AuthEvent event) {
      all.add(event);
    }

    @Override
    public Page eventsOf(ApiKeyId key, Optional<String> cursor, int limit) {
      int before = all.size();
      if (cursor.isPresent()) {
        try {
          before = Integer.parseInt(cursor.get());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("cursor: not a cursor this endpoint returned");
        }
      }
      List<AuthEvent> out = new ArrayList<>();
      int i = Math.min(before, all.size()) - 1;
      for (; i >= 0 && out.size() < limit; i--) {
        if (all.get(i).apiKeyId().equals(Optional.of(key))) {
          out.add(all.get(i));
        }
      }
      boolean more = false;
      for (int j = i; j >= 0; j--) {
        more |= all.get(j).apiKeyId().equals(Optional.of(key));
      }
      return new Page(out, more ? Optional.of(Integer.toString(i + 1)) : Optional.empty());
    }
  }

  final MemoryLog log = new MemoryLog();

  @BeforeAll
  void start() throws Exception {
    server =
        new TestServer(
            container(),
            true,
            b -> {},
            f -> f.keyEvents(log).maxBodyBytes(64 * 1024),
            false,
            List.of(),
            null,
            log);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  HttpResponse<String> patch(String path, String key, String body) throws Exception {
    return server.send("PATCH", path, key, body);
  }

  static String id(CreatedKey k) {
    return k.apiKey().id().value();
  }

  // GET /api-keys/{id}

  @Test
  void aKeyIsReadUnderTheOwnerRulesWithItsStatusAndNeverASecret() throws Exception {
    CreatedKey admin = server.createKey("read-a", "api-keys:read");
    CreatedKey mine = server.createKey("read-a", "ledgers:read");
    CreatedKey theirs = server.createKey("read-b", "ledgers:read");
    HttpResponse<String> r = server.get("/api-keys/" + id(mine), key(admin));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode k = json(r.body());
    assertThat(k.path("api_key_id").asText()).isEqualTo(id(mine));
    assertThat(k.path("status").asText()).isEqualTo("active");
    assertThat(k.path("key_prefix").asText()).startsWith("blnk_");
    assertThat(k.has("key")).isFalse();
    assertThat(r.body()).doesNotContain(key(mine)).doesNotContain("hash");
    assertThat(k.path("allowed_ips").isArray()).isTrue();
    assertThat(k.path("meta_data").isNull()).isTrue();
    assertError(server.get("/api-keys/" + id(theirs), key(admin)), 404, "APIKEY_NOT_FOUND", null);
    assertError(server.get("/api-keys/api_key_nope", key(admin)), 404, "APIKEY_NOT_FOUND", null);
    assertThat(server.get("/api-keys/" + id(theirs), MASTER).statusCode()).isEqualTo(200);
    assertError(server.get("/api-keys/" + id(theirs) + "?owner=read-a", MASTER), 404, "APIKEY_NOT_FOUND", null);
    // reading needs api-keys:read
    assertError(server.get("/api-keys/" + id(mine), key(mine)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
  }

  // status and ?status=

  @Test
  void everyKeyResponseHasAStatusAndListingsFilterByIt() throws Exception {
    CreatedKey active = server.createKey("status-a", "ledgers:read");
    CreatedKey disabled = server.createKey("status-a", "ledgers:read");
    CreatedKey revoked = server.createKey("status-a", "ledgers:read");
    CreatedKey rotated = server.createKey("status-a", "ledgers:read");
    assertThat(server.post("/api-keys/" + id(disabled) + "/disable", MASTER, null).statusCode()).isEqualTo(200);
    assertThat(server.send("DELETE", "/api-keys/" + id(revoked), MASTER, null).statusCode()).isEqualTo(204);
    HttpResponse<String> rot = server.post("/api-keys/" + id(rotated) + "/rotate", MASTER, null);
    assertThat(rot.statusCode()).isEqualTo(201);
    JsonNode successor = json(rot.body());
    assertThat(successor.path("status").asText()).isEqualTo("active");
    assertThat(successor.path("rotated_from").asText()).isEqualTo(id(rotated));

    JsonNode old = json(server.get("/api-keys/" + id(rotated), MASTER).body());
    assertThat(old.path("status").asText()).isEqualTo("rotating");
    assertThat(old.path("rotated_to").asText()).isEqualTo(successor.path("api_key_id").asText());

    for (String[] c :
        new String[][] {
          {"active", id(active)}, {"disabled", id(disabled)}, {"revoked", id(revoked)}, {"rotating", id(rotated)}
        }) {
      HttpResponse<String> r = server.get("/api-keys?owner=status-a&status=" + c[0], MASTER);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      json(r.body()).forEach(k -> ids.add(k.path("api_key_id").asText()));
      assertThat(ids).as(c[0]).contains(c[1]);
      json(r.body()).forEach(k -> assertThat(k.path("status").asText()).isEqualTo(c[0]));
    }
    HttpResponse<String> bad = server.get("/api-keys?owner=status-a&status=ACTIVE", MASTER);
    assertError(bad, 400, "APIKEY_INVALID", null);
    assertThat(json(bad.body()).path("error").asText()).startsWith("status:");
    assertError(server.get("/api-keys?owner=status-a&status=active&status=revoked", MASTER), 400, "APIKEY_INVALID", null);
  }

  @Test
  void anExpiredKeyIsExpired() throws Exception {
    CreatedKey k = server.createKey("status-e", server.clock.instant().plus(Duration.ofDays(1)), "ledgers:read");
    server.clock.advance(Duration.ofDays(2));
    assertThat(json(server.get("/api-keys/" + id(k), MASTER).body()).path("status").asText()).isEqualTo("expired");
    assertThat(server.get("/api-keys?owner=status-e&status=expired", MASTER).body()).contains(id(k));
  }

  // PATCH

  @Test
  void patchChangesFieldsInPlaceAndTheNextRequestSeesThem() throws Exception {
    CreatedKey k = server.createKey("patch-a", "ledgers:read", "balances:read");
    assertThat(server.get("/balances", key(k)).statusCode()).isEqualTo(200);
    String expires = server.clock.instant().plus(Duration.ofDays(3)).toString();
    HttpResponse<String> r =
        patch(
            "/api-keys/" + id(k),
            MASTER,
            "{\"name\":\"renamed\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"" + expires + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r.body());
    assertThat(body.path("name").asText()).isEqualTo("renamed");
    assertThat(body.path("scopes").toString()).isEqualTo("[\"ledgers:read\"]");
    assertThat(body.path("expires_at").asText()).isEqualTo(expires);
    assertThat(body.has("key")).isFalse();
    // same secret, narrower scopes, at once
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    assertError(server.get("/balances", key(k)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
  }

  @Test
  void metaDataIsStoredAsGivenAndReturnedEverywhere() throws Exception {
    String meta = "{ \"team\" : \"ops\",\"n\":12345678901234567890, \"nested\":{\"a\":[1,2]} }";
    HttpResponse<String> created =
        server.post(
            "/api-keys",
            MASTER,
            "{\"name\":\"m\",\"owner\":\"meta-a\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\""
                + server.clock.instant().plus(Duration.ofDays(1))
                + "\",\"meta_data\":"
                + meta
                + ",\"allowed_ips\":[\"127.0.0.1/32\",\"::1\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.body()).contains("\"meta_data\":" + meta);
    JsonNode c = json(created.body());
    assertThat(c.path("allowed_ips").size()).isEqualTo(2);
    String id = c.path("api_key_id").asText();
    assertThat(server.get("/api-keys/" + id, MASTER).body()).contains("\"meta_data\":" + meta);
    assertThat(server.get("/api-keys?owner=meta-a", MASTER).body()).contains("\"meta_data\":" + meta);
    String meta2 = "{\"v\":2}";
    HttpResponse<String> p = patch("/api-keys/" + id, MASTER, "{\"meta_data\":" + meta2 + "}");
    assertThat(p.body()).contains("\"meta_data\":" + meta2);
    // the self endpoint shows it to the key itself, which has no api-keys scope
    HttpResponse<String> self = server.get("/api-keys/self", c.path("key").asText());
    assertThat(self.statusCode()).as(self.body()).isEqualTo(200);
    assertThat(self.body()).contains("\"meta_data\":" + meta2);
  }

  @Test
  void badFieldsAreRefusedNamingTheField() throws Exception {
    CreatedKey k = server.createKey("patch-bad", "ledgers:read");
    String path = "/api-keys/" + id(k);
    String[][] cases = {
      {"{\"meta_data\":[1]}", "meta_data"},
      {"{\"meta_data\":\"x\"}", "meta_data"},
      {"{\"meta_data\":{\"big\":\"" + "x".repeat(5000) + "\"}}", "meta_data"},
      {"{\"allowed_ips\":[\"10.0.0.0/33\"]}", "allowed_ips"},
      {"{\"allowed_ips\":\"10.0.0.0/8\"}", "allowed_ips"},
      {"{\"scopes\":[\"ledgers:raed\"]}", "scopes"},
      {"{\"scopes\":[]}", "scopes"},
      {"{\"name\":7}", "name"},
      {"{\"expires_at\":\"tomorrow\"}", "expires_at"},
      {"{\"expires_at\":\"2020-01-01T00:00:00Z\"}", "expires_at"},
      {"{}", "nothing to update"},
    };
    for (String[] c : cases) {
      HttpResponse<String> r = patch(path, MASTER, c[0]);
      assertError(r, 400, "APIKEY_INVALID", null);
      assertThat(json(r.body()).path("error").asText()).as(c[0]).contains(c[1]);
    }
    for (String body : List.of("", "[]", "{", "{\"name\":\"a\",\"name\":\"b\"}")) {
      assertError(patch(path, MASTER, body), 400, "GEN_MALFORMED_REQUEST", null);
    }
  }

  @Test
  void patchFollowsDelegation() throws Exception {
    CreatedKey admin = server.createKey("deleg-a", "api-keys:write", "api-keys:read", "ledgers:read", "balances:read");
    CreatedKey child = server.createKey("deleg-a", "ledgers:read");
    CreatedKey other = server.createKey("deleg-b", "ledgers:read");
    String path = "/api-keys/" + id(child);
    // narrowing and within the caller's own scopes: allowed
    assertThat(patch(path, key(admin), "{\"name\":\"n2\"}").statusCode()).isEqualTo(200);
    // beyond the caller's scopes: escalation
    assertError(patch(path, key(admin), "{\"scopes\":[\"transactions:read\"]}"), 403, "AUTH_SCOPE_ESCALATION", null);
    // widening the key beyond what it holds needs the master key
    assertError(patch(path, key(admin), "{\"scopes\":[\"ledgers:read\",\"balances:read\"]}"), 403, "AUTH_SCOPE_ESCALATION", null);
    assertThat(patch(path, MASTER, "{\"scopes\":[\"ledgers:read\",\"balances:read\"]}").statusCode()).isEqualTo(200);
    // expiry within the caller's own
    String far = server.clock.instant().plus(Duration.ofDays(365)).toString();
    HttpResponse<String> outlive = patch(path, key(admin), "{\"expires_at\":\"" + far + "\"}");
    assertError(outlive, 400, "APIKEY_INVALID", null);
    assertThat(json(outlive.body()).path("error").asText()).contains("expires_at");
    // another owner's key does not exist for this caller
    assertError(patch("/api-keys/" + id(other), key(admin), "{\"name\":\"x\"}"), 404, "APIKEY_NOT_FOUND", null);
    assertError(patch(path + "?owner=deleg-b", key(admin), "{\"name\":\"x\"}"), 403, "AUTH_CROSS_OWNER_ACCESS", null);
    // PATCH needs api-keys:write
    CreatedKey reader = server.createKey("deleg-a", "api-keys:read", "ledgers:read");
    assertError(patch(path, key(reader), "{\"name\":\"x\"}"), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
  }

  // disable / enable

  @Test
  void aDisabledKeyIsRefusedUntilEnabled() throws Exception {
    CreatedKey k = server.createKey("dis-a", "ledgers:read");
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    HttpResponse<String> d = server.post("/api-keys/" + id(k) + "/disable", MASTER, null);
    assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
    assertThat(json(d.body()).path("status").asText()).isEqualTo("disabled");
    assertThat(json(d.body()).path("disabled_at").asText()).isEqualTo(server.clock.instant().toString());
    assertError(server.get("/ledgers", key(k)), 401, "AUTH_DISABLED_API_KEY", "API key is disabled");
    // idempotent
    assertThat(server.post("/api-keys/" + id(k) + "/disable", MASTER, null).statusCode()).isEqualTo(200);
    HttpResponse<String> e = server.post("/api-keys/" + id(k) + "/enable", MASTER, null);
    assertThat(json(e.body()).path("status").asText()).isEqualTo("active");
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    // method, owner and scope rules
    HttpResponse<String> get = server.get("/api-keys/" + id(k) + "/disable", MASTER);
    assertError(get, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    CreatedKey stranger = server.createKey("dis-b", "api-keys:write", "ledgers:read");
    assertError(server.post("/api-keys/" + id(k) + "/disable", key(stranger), null), 404, "APIKEY_NOT_FOUND", null);
    CreatedKey reader = server.createKey("dis-a", "api-keys:read", "ledgers:read");
    assertError(server.post("/api-keys/" + id(k) + "/disable", key(reader), null), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
  }

  // self

  @Test
  void selfNeedsNoScopeAndTheMasterKeyIsMaster() throws Exception {
    CreatedKey k = server.createKey("self-a", "ledgers:read");
    HttpResponse<String> r = server.get("/api-keys/self", key(k));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).path("api_key_id").asText()).isEqualTo(id(k));
    assertThat(json(r.body()).path("status").asText()).isEqualTo("active");
    assertThat(r.body()).doesNotContain(key(k));
    assertThat(json(server.get("/api-keys/self", MASTER).body()).toString()).isEqualTo("{\"type\":\"master\"}");
    assertThat(server.send("HEAD", "/api-keys/self", key(k), null).statusCode()).isEqualTo(200);
    assertError(server.get("/api-keys/self", null), 401, "AUTH_MISSING_API_KEY", null);
    // only reading is free: other methods are authorised as usual, then not allowed
    assertError(server.send("DELETE", "/api-keys/self", key(k), null), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
    HttpResponse<String> del = server.send("DELETE", "/api-keys/self", MASTER, null);
    assertError(del, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(del.headers().firstValue("Allow")).hasValue("GET, HEAD");
    // a method override cannot ride on the free read
    HttpRequest override =
        HttpRequest.newBuilder(server.uri("/api-keys/self"))
            .GET()
            .header("X-Blnk-Key", key(k))
            .header("X-HTTP-Method-Override", "DELETE")
            .build();
    assertError(server.send(override), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
    assertError(server.get("/api-keys/self?_method=PATCH", key(k)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
  }

  // cascade

  @Test
  void aCascadingDeleteRevokesTheKeysCreatedFromIt() throws Exception {
    CreatedKey root = server.createKey("casc-a", "api-keys:write", "ledgers:read");
    HttpResponse<String> childResponse =
        server.post(
            "/api-keys",
            key(root),
            "{\"name\":\"c\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\""
                + server.clock.instant().plus(Duration.ofDays(1))
                + "\"}");
    assertThat(childResponse.statusCode()).as(childResponse.body()).isEqualTo(201);
    String childKey = json(childResponse.body()).path("key").asText();
    CreatedKey sibling = server.createKey("casc-a", "ledgers:read");
    assertError(server.send("DELETE", "/api-keys/" + id(root) + "?cascade=yes", MASTER, null), 400, "APIKEY_INVALID", null);
    assertThat(server.send("DELETE", "/api-keys/" + id(root) + "?cascade=true", MASTER, null).statusCode()).isEqualTo(204);
    assertError(server.get("/ledgers", key(root)), 401, "AUTH_EXPIRED_API_KEY", null);
    assertError(server.get("/ledgers", childKey), 401, "AUTH_EXPIRED_API_KEY", null);
    assertThat(server.get("/ledgers", key(sibling)).statusCode()).isEqualTo(200);
    // idempotent
    assertThat(server.send("DELETE", "/api-keys/" + id(root) + "?cascade=true", MASTER, null).statusCode()).isEqualTo(204);
  }

  // IP lists

  @Test
  void aKeyOutsideItsIpListIsRefused() throws Exception {
    CreatedKey k = server.createKey("ip-a", "ledgers:read");
    assertThat(patch("/api-keys/" + id(k), MASTER, "{\"allowed_ips\":[\"10.0.0.0/8\"]}").statusCode()).isEqualTo(200);
    assertError(server.get("/ledgers", key(k)), 403, "AUTH_IP_NOT_ALLOWED", null);
    assertThat(patch("/api-keys/" + id(k), MASTER, "{\"allowed_ips\":[\"127.0.0.0/8\", \"::1\"]}").statusCode()).isEqualTo(200);
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    // the header is not believed without trusted proxies
    HttpRequest spoof =
        HttpRequest.newBuilder(server.uri("/ledgers"))
            .GET()
            .header("X-Blnk-Key", key(k))
            .header("X-Forwarded-For", "10.1.1.1")
            .build();
    assertThat(server.send(spoof).statusCode()).isEqualTo(200);
    assertThat(patch("/api-keys/" + id(k), MASTER, "{\"allowed_ips\":[]}").statusCode()).isEqualTo(200);
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyRestrictedToSomeAddressesCannotHandOutUseFromOthers() throws Exception {
    CreatedKey manager = server.createKey("ip-delegation", "api-keys:*", "ledgers:read");
    assertThat(
            patch("/api-keys/" + id(manager), MASTER, "{\"allowed_ips\":[\"127.0.0.0/8\",\"::1\"]}")
                .statusCode())
        .isEqualTo(200);
    String child =
        "{\"name\":\"c\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\""
            + server.clock.instant().plus(Duration.ofDays(1))
            + "\"";

    HttpResponse<String> anywhere = server.post("/api-keys", key(manager), child + ",\"allowed_ips\":[\"0.0.0.0/0\"]}");
    HttpResponse<String> inherited = server.post("/api-keys", key(manager), child + "}");
    HttpResponse<String> lifted = patch("/api-keys/" + id(manager), key(manager), "{\"allowed_ips\":[]}");

    assertError(anywhere, 403, "AUTH_SCOPE_ESCALATION", null);
    assertThat(json(anywhere.body()).path("error").asText()).contains("allowed_ips");
    assertError(lifted, 403, "AUTH_SCOPE_ESCALATION", null);
    assertThat(inherited.statusCode()).as(inherited.body()).isEqualTo(201);
    assertThat(json(inherited.body()).path("allowed_ips").toString()).isEqualTo("[\"127.0.0.0/8\",\"::1/128\"]");
  }

  // events

  @Test
  void aKeysEventsArePagedNewestFirstAndOwnerIsolated() throws Exception {
    CreatedKey admin = server.createKey("ev-a", "api-keys:read", "api-keys:write", "ledgers:read");
    CreatedKey k = server.createKey("ev-a", "ledgers:read");
    CreatedKey other = server.createKey("ev-b", "ledgers:read");
    server.post("/api-keys/" + id(k) + "/disable", MASTER, null);
    server.post("/api-keys/" + id(k) + "/enable", MASTER, null);
    patch("/api-keys/" + id(k), MASTER, "{\"name\":\"x\"}");
    List<String> types = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> r =
          server.get("/api-keys/" + id(k) + "/events?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), key(admin));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).doesNotContain(key(k)).doesNotContain(MASTER);
      JsonNode page = json(r.body());
      assertThat(page.path("events").size()).isLessThanOrEqualTo(2);
      page.path("events").forEach(e -> types.add(e.path("type").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(types).containsSubsequence("KEY_UPDATED", "KEY_ENABLED", "KEY_DISABLED", "KEY_CREATED");
    assertThat(types.get(0)).isEqualTo("KEY_UPDATED");
    assertError(server.get("/api-keys/" + id(other) + "/events", key(admin)), 404, "APIKEY_NOT_FOUND", null);
    assertError(server.get("/api-keys/" + id(k) + "/events?limit=0", key(admin)), 400, "APIKEY_INVALID", null);
    assertError(server.get("/api-keys/" + id(k) + "/events?limit=501", key(admin)), 400, "APIKEY_INVALID", null);
    HttpResponse<String> badCursor = server.get("/api-keys/" + id(k) + "/events?cursor=zz", key(admin));
    assertError(badCursor, 400, "APIKEY_INVALID", null);
    assertThat(json(badCursor.body()).path("error").asText()).startsWith("cursor");
    assertError(server.get("/api-keys/" + id(k) + "/events", key(k)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
    HttpResponse<String> post = server.post("/api-keys/" + id(k) + "/events", MASTER, "{}");
    assertError(post, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  // gate rules on the new routes

  @Test
  void theGateStillHoldsOnTheNewRoutes() throws Exception {
    CreatedKey k = server.createKey("gate-a", "ledgers:read");
    String path = "/api-keys/" + id(k);
    // body limit
    HttpResponse<String> big = patch(path, MASTER, "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}");
    assertError(big, 413, "GEN_PAYLOAD_TOO_LARGE", null);
    // content encoding
    HttpRequest gz =
        HttpRequest.newBuilder(server.uri(path))
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"a\"}"))
            .header("X-Blnk-Key", MASTER)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .build();
    assertError(server.send(gz), 415, "GEN_UNSUPPORTED_MEDIA_TYPE", null);
    // an override is authorised too: a reader cannot PATCH through POST
    CreatedKey reader = server.createKey("gate-a", "api-keys:read");
    HttpRequest override =
        HttpRequest.newBuilder(server.uri(path))
            .GET()
            .header("X-Blnk-Key", key(reader))
            .header("X-HTTP-Method-Override", "PATCH")
            .build();
    assertError(server.send(override), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
    assertError(server.get("/api-keys/x/y/z", MASTER), 400, "GEN_MALFORMED_REQUEST", null);
    assertError(server.get(path + "/unknown", MASTER), 400, "GEN_MALFORMED_REQUEST", null);
  }
}
