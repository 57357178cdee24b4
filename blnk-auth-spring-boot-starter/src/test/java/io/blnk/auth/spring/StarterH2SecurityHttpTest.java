package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The HTTP behaviours on H2 with Spring Security and the starter's default chain, plus what the
 * bridge adds: {@code @PreAuthorize}, {@code @AuthenticationPrincipal}, Spring Security's headers on
 * Blnk's refusals.
 */
@SpringBootTest(
    classes = TestApps.Secured.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "blnk.auth.master-key=" + TestApps.MASTER_KEY)
final class StarterH2SecurityHttpTest extends AbstractStarterHttpTest {

  @Test
  void preAuthorizeSeesTheKeysScopesAsAuthorities() {
    Http.Response readOnly = http.get("/balances/write-check", key("balances:read"));
    assertThat(readOnly.status()).isEqualTo(403);
    assertThat(readOnly.code()).isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
    assertThat(http.get("/balances/write-check", key("balances:*")).status()).isEqualTo(200);
    assertThat(http.get("/balances/write-check", key("balances:read", "balances:write")).status())
        .isEqualTo(200);
    assertThat(http.get("/balances/write-check", TestApps.MASTER_KEY).status()).isEqualTo(200);
  }

  @Test
  void theMasterKeyHasItsOwnAuthority() {
    assertThat(http.get("/balances/master-check", key("*:*")).status()).isEqualTo(403);
    assertThat(http.get("/balances/master-check", TestApps.MASTER_KEY).status()).isEqualTo(200);
  }

  @Test
  void authenticationPrincipalIsTheBlnkPrincipal() {
    JsonNode created = createKey(owner, inDays(30), "accounts:read");
    JsonNode me = http.get("/accounts/me", created.path("key").asText()).json();
    assertThat(me.path("name").asText()).isEqualTo(created.path("api_key_id").asText());
    assertThat(me.path("owner").asText()).isEqualTo(owner);
    assertThat(me.path("master").asBoolean()).isFalse();
    assertThat(http.get("/accounts/me", TestApps.MASTER_KEY).json().path("master").asBoolean())
        .isTrue();
  }

  @Test
  void blnksRefusalsCarrySpringSecuritysHeaders() {
    Http.Response r = http.get("/ledgers", null);
    assertThat(r.code()).isEqualTo("AUTH_MISSING_API_KEY");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
    Http.Response forbidden = http.post("/ledgers", key("ledgers:read"), "{}");
    assertThat(forbidden.code()).isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
    assertThat(forbidden.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void aPostWithAKeyNeedsNoCsrfToken() {
    Http.Response r = http.post("/ledgers", key("ledgers:write"), "{\"name\":\"x\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }
}
