package io.blnk.auth.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The README walkthrough against the Spring Boot example on its embedded Tomcat. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "blnk.auth.master-key=" + LedgerApplicationTest.MASTER,
      "spring.datasource.url=jdbc:h2:mem:ledger-example;DB_CLOSE_DELAY=-1"
    })
final class LedgerApplicationTest {

  static final String MASTER = "example-master-key-0123456789-abcdefghijklmnop";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @LocalServerPort int port;

  private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      b.header("X-Blnk-Key", key);
    }
    b.header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Records.JSON.readTree(r.body());
  }

  @Test
  void theWalkthrough() throws Exception {
    // 1. Without a key: Blnk's 401.
    HttpResponse<String> anonymous = send("GET", "/ledgers", null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(json(anonymous).path("error_detail").path("code").asText()).isEqualTo("AUTH_MISSING_API_KEY");

    // 2. The master key creates a scoped key for an owner.
    HttpResponse<String> created =
        send("POST", "/api-keys", MASTER,
            "{\"name\":\"ledger writer\",\"owner\":\"acme\",\"scopes\":[\"ledgers:read\",\"ledgers:write\"],"
                + "\"expires_at\":\"2099-01-01T00:00:00Z\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String key = json(created).path("key").asText();
    String keyId = json(created).path("api_key_id").asText();

    // 3. The key creates a ledger, tagged with the key's id; numbers keep every digit.
    HttpResponse<String> ledger =
        send("POST", "/ledgers", key, "{\"name\":\"Main\",\"limit\":12345678901234567890.5}");
    assertThat(ledger.statusCode()).isEqualTo(201);
    assertThat(json(ledger).path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo(keyId);
    assertThat(ledger.body()).contains("12345678901234567890.5");
    String ledgerId = json(ledger).path("ledger_id").asText();

    // 4. It reads it back, by id and in the list.
    assertThat(json(send("GET", "/ledgers/" + ledgerId, key, null)).path("name").asText()).isEqualTo("Main");
    assertThat(json(send("GET", "/ledgers", key, null))).hasSize(1);

    // 5. Outside its scopes: 403.
    HttpResponse<String> balances = send("GET", "/balances", key, null);
    assertThat(balances.statusCode()).isEqualTo(403);
    assertThat(json(balances).path("error").asText()).isEqualTo("Insufficient permissions for balances:read");

    // 6. Health is public; the other Actuator endpoints need the master key.
    assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/actuator/metrics", key, null).statusCode()).isEqualTo(403);
    assertThat(send("GET", "/actuator/metrics/blnk.auth.decisions", MASTER, null).statusCode()).isEqualTo(200);

    // 7. Revoked: refused at once.
    assertThat(send("DELETE", "/api-keys/" + keyId + "?owner=acme", MASTER, null).statusCode()).isEqualTo(204);
    assertThat(json(send("GET", "/ledgers", key, null)).path("error_detail").path("code").asText())
        .isEqualTo("AUTH_EXPIRED_API_KEY");
  }
}
