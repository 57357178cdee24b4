package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpTest.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.CreatedKey;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 17.2: revoking follows the same delegation rule as create and rotate, over real HTTP. */
final class RevokeEscalationHttpTest {

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aWeakerKeyCannotRevokeItsOwnersStrongerKey() throws Exception {
    CreatedKey strong = server.createKey("team-esc", "*:*");
    CreatedKey weak = server.createKey("team-esc", "ledgers:read", "api-keys:*");

    assertError(
        server.send("DELETE", "/api-keys/" + strong.apiKey().id(), key(weak), null),
        403,
        "AUTH_SCOPE_ESCALATION",
        null);
    // The same key is refused the rotation too: one rule for both.
    assertError(
        server.post("/api-keys/" + strong.apiKey().id() + "/rotate", key(weak), "{}"),
        403,
        "AUTH_SCOPE_ESCALATION",
        null);
    assertThat(server.get("/ledgers", key(strong)).statusCode()).isEqualTo(200);
    assertThat(json(server.get("/api-keys?owner=team-esc", MASTER).body()))
        .allSatisfy(k -> assertThat(k.path("is_revoked").asBoolean()).isFalse());
  }

  @Test
  void aKeyRevokesTheKeysItsScopesCoverAndItself() throws Exception {
    CreatedKey reader = server.createKey("team-cov", "ledgers:read");
    CreatedKey admin = server.createKey("team-cov", "ledgers:*", "api-keys:*");

    HttpResponse<String> r = server.send("DELETE", "/api-keys/" + reader.apiKey().id(), key(admin), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertError(server.get("/ledgers", key(reader)), 401, "AUTH_EXPIRED_API_KEY", null);

    r = server.send("DELETE", "/api-keys/" + admin.apiKey().id(), key(admin), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    assertError(server.get("/ledgers", key(admin)), 401, "AUTH_EXPIRED_API_KEY", null);
  }

  @Test
  void theMasterKeyRevokesAnything() throws Exception {
    CreatedKey strong = server.createKey("team-m", "*:*");
    assertThat(server.send("DELETE", "/api-keys/" + strong.apiKey().id(), MASTER, null).statusCode())
        .isEqualTo(204);
  }
}
