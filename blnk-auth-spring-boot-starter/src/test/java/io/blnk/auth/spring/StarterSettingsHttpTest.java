package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The filter and library options the starter maps from properties, through the real server: the
 * owner key limit, the console and its path, tag targets per route and record id prefixes.
 */
@SpringBootTest(
    classes = TestApps.Plain.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "blnk.auth.master-key=" + TestApps.MASTER_KEY,
      TestApps.WITHOUT_SECURITY,
      "blnk.auth.max-active-keys-per-owner=2",
      "blnk.auth.console.enabled=true",
      "blnk.auth.console.path=/ops/console",
      "blnk.auth.tag-targets[/ledgers]=/meta_data,/extra/meta",
      "blnk.auth.id-prefixes[inv_]=ledgers"
    })
final class StarterSettingsHttpTest extends AbstractStarterHttpTest {

  @Test
  void theOwnerKeyLimitIsTheProperty() {
    key("ledgers:read");
    key("ledgers:read");
    Http.Response third =
        http.post("/api-keys", TestApps.MASTER_KEY,
            "{\"name\":\"t\",\"owner\":\"" + owner + "\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\""
                + inDays(30) + "\"}");
    assertThat(third.status()).as(third.toString()).isEqualTo(409);
    assertThat(third.code()).isEqualTo("APIKEY_LIMIT_EXCEEDED");
  }

  @Test
  void theConsoleIsServedAtItsPathWithoutAKey() {
    Http.Response redirect = http.get("/ops/console", null);
    assertThat(redirect.status()).as(redirect.toString()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("/ops/console/");
    Http.Response page = http.get("/ops/console/", null);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(http.get("/blnk-auth/console", null).code()).isEqualTo("AUTH_MISSING_API_KEY");
  }

  @Test
  void tagTargetsOfARouteAreTheConfiguredPointers() {
    String writer = key("ledgers:write");
    Http.Response r =
        http.post("/ledgers", writer, "{\"meta_data\":{\"k\":1},\"extra\":{\"meta\":{}}}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode body = r.json();
    String tag = body.path("meta_data").path("BLNK_GENERATED_BY").asText();
    assertThat(tag).isNotEmpty();
    assertThat(body.path("extra").path("meta").path("BLNK_GENERATED_BY").asText()).isEqualTo(tag);
    assertThat(body.path("meta_data").path("k").asInt()).isEqualTo(1);
  }

  @Test
  void aConfiguredIdPrefixNamesItsRecordsResource() {
    String both = key("metadata:read", "ledgers:read");
    String metadataOnly = key("metadata:read");
    assertThat(http.get("/inv_1/metadata", both).status()).isEqualTo(404); // passed; no handler
    assertThat(http.get("/zzz_1/metadata", both).code()).isEqualTo("AUTH_UNKNOWN_RESOURCE");
    assertThat(http.get("/inv_1/metadata", metadataOnly).code())
        .isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
  }
}
