package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpTest.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17.4 over real HTTP: {@code POST /api-keys} refuses names and owners holding control,
 * separator or bidirectional-formatting characters with 400 {@code APIKEY_INVALID} naming the
 * field, and nothing is created.
 */
final class SafeTextHttpTest {

  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} with \\u{1}")
  @CsvSource({
    "name, 2028", "name, 2029", "name, 202e", "name, 2066", "name, 200f", "name, 0085", "name, 00a0",
    "name, 001b", "name, feff", "owner, 2028", "owner, 202e", "owner, 2069", "owner, 200e",
    "owner, 000a", "owner, 3000", "owner, 200b",
  })
  void refusedCharactersAnswer400NamingTheField(String field, String hex) throws Exception {
    String bad = "exp4\\u" + hex + "[main] INFO KEY_REVOKED by=master";
    String owner = field.equals("owner") ? bad : "team-safe";
    String name = field.equals("name") ? bad : "svc";
    String body =
        "{\"name\":\"" + name + "\",\"owner\":\"" + owner + "\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\""
            + server.clock.instant().plus(Duration.ofDays(1)) + "\"}";

    HttpResponse<String> r = server.post("/api-keys", MASTER, body);

    assertError(r, 400, "APIKEY_INVALID", null);
    String message = json(r.body()).path("error").asText();
    assertThat(message).startsWith(field + " \"exp4\\u" + hex).contains("U+" + hex.toUpperCase());
    assertThat(message.codePoints().filter(c -> c == Integer.parseInt(hex, 16))).isEmpty();
    assertThat(json(server.get("/api-keys?owner=team-safe", MASTER).body()).size()).isZero();
  }
}
