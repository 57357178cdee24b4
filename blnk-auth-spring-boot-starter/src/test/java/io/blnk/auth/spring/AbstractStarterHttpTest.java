package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The HTTP behaviours of the Jetty suite, on Spring Boot's embedded Tomcat with the starter's
 * auto-configuration: missing, invalid and expired keys, scopes, owners, {@code /api-keys} and
 * {@code BLNK_GENERATED_BY} tagging. Subclasses choose the database, Spring Security and the paths.
 */
abstract class AbstractStarterHttpTest {

  @LocalServerPort int port;
  @Autowired MutableClock clock;

  Http http;
  String owner;

  /** The context path the subclass runs under, {@code ""} for the root. */
  String contextPath() {
    return "";
  }

  @BeforeEach
  void setUp() {
    http = Http.at(port, contextPath());
    owner = "owner-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a key for {@link #owner} with the master key; returns the create response. */
  JsonNode createKey(String ownerId, String expiresAt, String... scopes) {
    StringBuilder s = new StringBuilder();
    for (String scope : scopes) {
      s.append(s.length() == 0 ? "" : ",").append('"').append(scope).append('"');
    }
    Http.Response r =
        http.post(
            "/api-keys",
            TestApps.MASTER_KEY,
            "{\"name\":\"test\",\"owner\":\"" + ownerId + "\",\"scopes\":[" + s
                + "],\"expires_at\":\"" + expiresAt + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  String key(String... scopes) {
    return createKey(owner, inDays(30), scopes).path("key").asText();
  }

  String inDays(int days) {
    return clock.instant().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Test
  void aRequestWithoutKeyIsRefusedWithBlnksEnvelope() {
    Http.Response r = http.get("/ledgers", null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("AUTH_MISSING_API_KEY");
    assertThat(r.json().path("error").asText()).isEqualTo("Authentication required. Use X-Blnk-Key header");
    assertThat(r.header("Content-Type")).startsWith("application/json");
  }

  @Test
  void aMalformedOrUnknownKeyIsInvalid() {
    assertThat(http.get("/ledgers", "not-a-key").code()).isEqualTo("AUTH_INVALID_API_KEY");
    String real = key("ledgers:read");
    String wrongSecret = real.substring(0, real.length() - 10) + "0000000000";
    Http.Response r = http.get("/ledgers", wrongSecret);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("AUTH_INVALID_API_KEY");
  }

  @Test
  void publicPathsPassWithoutKey() {
    assertThat(http.get("/health", null).status()).isEqualTo(200);
    assertThat(http.get("/", null).status()).isEqualTo(200);
  }

  @Test
  void theMasterKeyMayDoAnything() {
    assertThat(http.get("/ledgers", TestApps.MASTER_KEY).status()).isEqualTo(200);
    assertThat(http.delete("/ledgers/ldg_1", TestApps.MASTER_KEY).status()).isEqualTo(204);
  }

  @Test
  void aScopedKeyIsAllowedExactlyItsScopes() {
    String key = key("ledgers:read");
    assertThat(http.get("/ledgers", key).status()).isEqualTo(200);
    Http.Response write = http.post("/ledgers", key, "{\"name\":\"x\"}");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.code()).isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
    assertThat(write.json().path("error").asText()).isEqualTo("Insufficient permissions for ledgers:write");
    assertThat(http.delete("/ledgers/ldg_1", key).code()).isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
    assertThat(http.get("/nothing-here", key).code()).isEqualTo("AUTH_UNKNOWN_RESOURCE");
    assertThat(http.get("/hooks", key("hooks:read")).code()).isEqualTo("AUTH_MASTER_KEY_REQUIRED");
  }

  @Test
  void anExpiredKeyIsRefused() {
    String key = createKey(owner, clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString(), "ledgers:read")
        .path("key").asText();
    assertThat(http.get("/ledgers", key).status()).isEqualTo(200);
    clock.advance(Duration.ofHours(2));
    Http.Response r = http.get("/ledgers", key);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("AUTH_EXPIRED_API_KEY");
  }

  @Test
  void aRevokedKeyStopsAtOnce() {
    JsonNode created = createKey(owner, inDays(30), "ledgers:read");
    String key = created.path("key").asText();
    assertThat(http.get("/ledgers", key).status()).isEqualTo(200);
    String id = created.path("api_key_id").asText();
    assertThat(http.delete("/api-keys/" + id + "?owner=" + owner, TestApps.MASTER_KEY).status())
        .isEqualTo(204);
    assertThat(http.get("/ledgers", key).code()).isEqualTo("AUTH_EXPIRED_API_KEY");
  }

  @Test
  void apiKeysAreListedPerOwnerWithoutSecrets() {
    JsonNode created = createKey(owner, inDays(30), "ledgers:read");
    Http.Response list = http.get("/api-keys?owner=" + owner, TestApps.MASTER_KEY);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json()).hasSize(1);
    assertThat(list.json().get(0).path("api_key_id").asText()).isEqualTo(created.path("api_key_id").asText());
    assertThat(list.body()).doesNotContain(created.path("key").asText());
    assertThat(http.get("/api-keys", TestApps.MASTER_KEY).status()).isEqualTo(400);
  }

  @Test
  void aScopedKeyManagesItsOwnOwnersKeysOnly() {
    String manager = key("api-keys:*", "ledgers:read");
    Http.Response own = http.get("/api-keys", manager);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json()).hasSize(1);
    Http.Response other = http.get("/api-keys?owner=someone-else", manager);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.code()).isEqualTo("AUTH_CROSS_OWNER_ACCESS");
    Http.Response escalate =
        http.post("/api-keys", manager,
            "{\"name\":\"x\",\"scopes\":[\"ledgers:write\"],\"expires_at\":\"" + inDays(1) + "\"}");
    assertThat(escalate.code()).isEqualTo("AUTH_SCOPE_ESCALATION");
    Http.Response child =
        http.post("/api-keys", manager,
            "{\"name\":\"x\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"" + inDays(1) + "\"}");
    assertThat(child.status()).as(child.toString()).isEqualTo(201);
    assertThat(child.json().path("owner_id").asText()).isEqualTo(owner);
  }

  @Test
  void aScopedKeysPostIsTaggedAndCannotForgeTheTag() {
    JsonNode created = createKey(owner, inDays(30), "transactions:write");
    String body =
        "{\"amount\":123456789012345678901234567890.000001,\"meta_data\":{\"BLNK_GENERATED_BY\":\"forged\",\"k\":1}}";
    Http.Response r = http.post("/transactions", created.path("key").asText(), body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.body()).contains("123456789012345678901234567890.000001");
    assertThat(r.json().path("meta_data").path("BLNK_GENERATED_BY").asText())
        .isEqualTo(created.path("api_key_id").asText());
    assertThat(r.json().path("meta_data").path("k").asInt()).isEqualTo(1);
    Http.Response master = http.post("/transactions", TestApps.MASTER_KEY, body);
    assertThat(master.json().path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo("forged");
  }

  @Test
  void theApplicationSeesTheKeysPrincipal() {
    JsonNode created = createKey(owner, inDays(30), "balances:read", "ledgers:*");
    JsonNode who = http.get("/balances/whoami", created.path("key").asText()).json();
    String id = created.path("api_key_id").asText();
    assertThat(who.path("userPrincipal").asText()).isEqualTo(id);
    assertThat(who.path("principalArgument").asText()).isEqualTo(id);
    assertThat(who.path("remoteUser").asText()).isEqualTo(id);
    assertThat(who.path("attribute").asText()).isEqualTo(id);
    assertThat(who.path("inRoleLedgersRead").asBoolean()).isTrue();
    assertThat(who.path("inRoleLedgersWrite").asBoolean()).isTrue();
    JsonNode narrow = http.get("/balances/whoami", key("balances:read")).json();
    assertThat(narrow.path("inRoleLedgersRead").asBoolean()).isFalse();
    JsonNode master = http.get("/balances/whoami", TestApps.MASTER_KEY).json();
    assertThat(master.path("userPrincipal").asText()).isEqualTo("master");
    assertThat(master.path("inRoleLedgersWrite").asBoolean()).isTrue();
  }

  /** Keeps {@link Instant} imported for subclasses' expiry arithmetic. */
  static Instant now() {
    return Instant.now();
  }
}
