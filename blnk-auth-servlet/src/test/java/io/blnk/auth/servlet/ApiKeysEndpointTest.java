package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code /api-keys} endpoints on their own, called as the filter calls them, without a container. */
final class ApiKeysEndpointTest {

  private final BlnkAuth auth =
      BlnkAuth.builder()
          .store(KeyStore.inMemory())
          .masterKey(TestServer.MASTER)
          .hasher(KeyHasher.hmacSha256(new byte[32]))
          .listener(AuthListener.none())
          .allowNonExpiringKeys(true)
          .build();
  private final ApiKeysEndpoint endpoint =
      new ApiKeysEndpoint(auth.keys(), new BodyPolicy(1024 * 1024, TagTargets.of(Map.of())));

  @AfterEach
  void close() {
    auth.close();
  }

  private record Answer(int status, Map<String, String> headers, String body, boolean committed) {
    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }

    String code() throws IOException {
      return json().get("error_detail").get("code").asText();
    }

    String message() throws IOException {
      return json().get("error_detail").get("message").asText();
    }
  }

  private Answer call(String method, String path, String query, String body) throws IOException {
    Fakes.Request r = new Fakes.Request().path(method, path);
    r.query = query;
    if (body != null) {
      r.body("application/json", body.getBytes(StandardCharsets.UTF_8));
    }
    Fakes.Response out = new Fakes.Response();
    endpoint.serve(r.build(), out.build(), BlnkPrincipal.master(), path);
    return new Answer(out.status, out.headers, out.body.toString(StandardCharsets.UTF_8), out.committed);
  }

  private JsonNode create(String owner) throws IOException {
    Answer a = call("POST", "/api-keys", null,
        "{\"name\":\"n\",\"owner\":\"" + owner + "\",\"scopes\":[\"ledgers:read\"],\"expires_at\":null}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json();
  }

  @Test
  void allowedNamesTheMethodsOfEachShape() {
    assertThat(endpoint.allowed("/api-keys")).isEqualTo("GET, HEAD, POST");
    assertThat(endpoint.allowed("/api-keys/k")).isEqualTo("GET, HEAD, PATCH, DELETE");
    assertThat(endpoint.allowed("/api-keys/self")).isEqualTo("GET, HEAD");
    assertThat(endpoint.allowed("/api-keys/owner-rate-limit")).isEqualTo("GET, HEAD, PUT");
    assertThat(endpoint.allowed("/api-keys/k/rotate")).isEqualTo("POST");
    assertThat(endpoint.allowed("/api-keys/k/disable")).isEqualTo("POST");
    assertThat(endpoint.allowed("/api-keys/k/enable")).isEqualTo("POST");
    assertThat(endpoint.allowed("/api-keys/k/events")).as("no event log configured").isNull();
    assertThat(endpoint.allowed("/api-keys/k/other")).isNull();
    assertThat(endpoint.allowed("/api-keys/k/rotate/x")).isNull();
  }

  @Test
  void createAnswers201WithTheKeyAndItsDescription() throws IOException {
    Answer a = call("POST", "/api-keys", null,
        "{\"name\":\"svc\",\"owner\":\"o1\",\"scopes\":[\"ledgers:read\",\"balances:write\"],\"unknown\":1}");
    assertThat(a.status()).isEqualTo(201);
    assertThat(a.committed()).isTrue();
    assertThat(a.headers()).containsEntry("Content-Type", "application/json").containsEntry("Cache-Control", "no-store");
    JsonNode k = a.json();
    assertThat(k.get("key").asText()).startsWith(auth.keyFormat().prefix());
    assertThat(k.get("name").asText()).isEqualTo("svc");
    assertThat(k.get("owner_id").asText()).isEqualTo("o1");
    assertThat(k.get("scopes").toString()).isEqualTo("[\"ledgers:read\",\"balances:write\"]");
  }

  @Test
  void listAnswersEveryKeyOfTheOwnerAndHeadOnlyTheHeaders() throws IOException {
    JsonNode first = create("o1");
    create("o2");
    create("o2");
    Answer all = call("GET", "/api-keys", "owner=o2", null);
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().size()).isEqualTo(2);
    Answer mine = call("GET", "/api-keys", "owner=o1", null);
    assertThat(mine.json().size()).isEqualTo(1);
    assertThat(mine.json().get(0).get("api_key_id").asText()).isEqualTo(first.get("api_key_id").asText());
    assertThat(mine.json().get(0).has("key")).isFalse();
    Answer head = call("HEAD", "/api-keys", "owner=o2", null);
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers()).containsEntry("Content-Length", String.valueOf(all.body().getBytes(StandardCharsets.UTF_8).length));
  }

  @Test
  void deleteRevokesAndAnswers204() throws IOException {
    String id = create("o1").get("api_key_id").asText();
    Answer a = call("DELETE", "/api-keys/" + id, "owner=o1", null);
    assertThat(a.status()).isEqualTo(204);
    assertThat(a.committed()).isTrue();
    assertThat(a.body()).isEmpty();
    assertThat(call("GET", "/api-keys", "owner=o1", null).json().get(0).get("is_revoked").asBoolean()).isTrue();
  }

  @Test
  void aKeyServiceRefusalBecomesItsEnvelope() throws IOException {
    Answer a = call("DELETE", "/api-keys/api_key_nope", "owner=o1", null);
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.code()).isEqualTo("APIKEY_NOT_FOUND");
  }

  @Test
  void rotateAnswers201WithTheSuccessorAndHonoursTheGrace() throws IOException {
    String id = create("o1").get("api_key_id").asText();
    Answer a = call("POST", "/api-keys/" + id + "/rotate", "owner=o1", "");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    assertThat(a.json().get("api_key_id").asText()).isNotEqualTo(id);
    String next = a.json().get("api_key_id").asText();
    assertThat(call("POST", "/api-keys/" + next + "/rotate", "owner=o1", "{\"grace_period\":0}").status()).isEqualTo(201);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"grace_period\":-1}                 | grace_period: must not be negative, got -1",
        "{\"grace_period\":\"1h\"}             | grace_period: \"1h\" is not an ISO-8601 duration such as PT1H",
        "{\"grace_period\":true}               | grace_period: expected an ISO-8601 duration string or whole seconds, got boolean",
        "{\"grace_period\":1.5}                | grace_period: expected an ISO-8601 duration string or whole seconds, got number",
        "{\"grace_period\":99999999999999999999} | grace_period: expected an ISO-8601 duration string or whole seconds, got number",
        "{\"grace_period\":691200}             | grace_period: PT192H must be between PT0S and PT168H",
        "{\"grace_period\":\"P8D\"}            | grace_period: PT192H must be between PT0S and PT168H",
      })
  void aBadGraceIsRefusedNamingTheField(String body, String message) throws IOException {
    String id = create("o1").get("api_key_id").asText();
    Answer a = call("POST", "/api-keys/" + id + "/rotate", "owner=o1", body);
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.code()).isEqualTo("APIKEY_INVALID");
    assertThat(a.message()).isEqualTo(message);
  }

  @Test
  void aNullGraceIsTheDefault() throws IOException {
    String id = create("o1").get("api_key_id").asText();
    assertThat(call("POST", "/api-keys/" + id + "/rotate", "owner=o1", "{\"grace_period\":null}").status()).isEqualTo(201);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"name\":1,\"owner\":\"o\",\"scopes\":[\"ledgers:read\"]}       | name: expected a string, got number",
        "{\"name\":\"n\",\"owner\":[],\"scopes\":[\"ledgers:read\"]}      | owner: expected a string, got array",
        "{\"name\":\"n\",\"owner\":\"o\",\"scopes\":\"ledgers:read\"}     | scopes: expected an array of strings, got string",
        "{\"name\":\"n\",\"owner\":\"o\",\"scopes\":[1]}                  | scopes: expected an array of strings, got number",
        "{\"name\":\"n\",\"owner\":\"o\",\"scopes\":[\"ledgers:read\"],\"expires_at\":{}} | expires_at: expected a string, got object",
      })
  void aKnownFieldOfTheWrongTypeIsRefusedNamingIt(String body, String message) throws IOException {
    Answer a = call("POST", "/api-keys", null, body);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.code()).isEqualTo("APIKEY_INVALID");
    assertThat(a.message()).isEqualTo(message);
  }

  @Test
  void nullFieldsAreAbsent() throws IOException {
    Answer a = call("POST", "/api-keys", null, "{\"name\":\"n\",\"owner\":\"o\",\"scopes\":null}");
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.code()).isNotEqualTo("GEN_MALFORMED_REQUEST");
    assertThat(a.message()).doesNotContain("expected");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''          | Malformed request body: a JSON object is required",
        "' \t\r\n '   | Malformed request body: a JSON object is required",
        "[]          | Malformed request body: a JSON object is required",
        "1           | Malformed request body: a JSON object is required",
      })
  void createNeedsOneJsonObject(String body, String message) throws IOException {
    Answer a = call("POST", "/api-keys", null, body);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.code()).isEqualTo("GEN_MALFORMED_REQUEST");
    assertThat(a.message()).isEqualTo(message);
  }

  @Test
  void aBodyThatIsNotJsonIsMalformedWithTheParsersFirstLine() throws IOException {
    Answer a = call("POST", "/api-keys", null, "{\"name\":");
    assertThat(a.code()).isEqualTo("GEN_MALFORMED_REQUEST");
    assertThat(a.message()).startsWith("Malformed request body: ").doesNotContain("\n");
    String id = create("o1").get("api_key_id").asText();
    Answer rotate = call("POST", "/api-keys/" + id + "/rotate", "owner=o1", "[1]");
    assertThat(rotate.code()).isEqualTo("GEN_MALFORMED_REQUEST");
    Answer blank = call("POST", "/api-keys/" + id + "/rotate", "owner=o1", " \n");
    assertThat(blank.status()).isEqualTo(201);
  }

  @Test
  void aBodyRefusedByTheBodyPolicyIsRefusedHere() throws IOException {
    Fakes.Request r = new Fakes.Request().path("POST", "/api-keys");
    r.body("application/json; charset=UTF-16", "{}".getBytes(StandardCharsets.UTF_16));
    Fakes.Response out = new Fakes.Response();
    endpoint.serve(r.build(), out.build(), BlnkPrincipal.master(), "/api-keys");
    assertThat(out.status).isEqualTo(415);
  }

  @ParameterizedTest
  @CsvSource({"PUT, /api-keys, 'GET, HEAD, POST'", "PUT, /api-keys/k, 'GET, HEAD, PATCH, DELETE'",
      "GET, /api-keys/k/rotate, POST", "DELETE, /api-keys, 'GET, HEAD, POST'",
      "POST, /api-keys/k, 'GET, HEAD, PATCH, DELETE'", "DELETE, /api-keys/k/rotate, POST",
      "POST, /api-keys/self, 'GET, HEAD'", "GET, /api-keys/k/disable, POST"})
  void anotherMethodIs405WithAllow(String method, String path, String allow) throws IOException {
    Answer a = call(method, path, null, null);
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.headers()).containsEntry("Allow", allow);
    assertThat(a.code()).isEqualTo("GEN_METHOD_NOT_ALLOWED");
  }

  @ParameterizedTest
  @CsvSource({"POST, /api-keys/k/other", "POST, /api-keys/k/rotate/x", "GET, /api-keys/k/other"})
  void anUnknownShapeIsMalformed(String method, String path) throws IOException {
    Answer a = call(method, path, null, null);
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.code()).isEqualTo("GEN_MALFORMED_REQUEST");
    assertThat(a.message()).startsWith("Unsupported API key request: " + method + " /api-keys/...");
    assertThat(a.headers()).doesNotContainKey("Allow");
  }

  private static Optional<String> owner(String query) throws ApiKeysEndpoint.Refused {
    Fakes.Request r = new Fakes.Request();
    r.query = query;
    return ApiKeysEndpoint.owner(r.build());
  }

  @Test
  void theOwnerComesFromTheQueryStringDecoded() throws ApiKeysEndpoint.Refused {
    assertThat(owner(null)).isEmpty();
    assertThat(owner("")).isEmpty();
    assertThat(owner("owner=o1")).contains("o1");
    assertThat(owner("a=1&owner=b%20c+d&z")).contains("b c d");
    assertThat(owner("own%65r=x")).contains("x");
    assertThat(owner("owner=")).isEmpty();
    assertThat(owner("owner")).isEmpty();
    assertThat(owner("owners=x&xowner=y")).isEmpty();
    assertThat(owner("x=a=b&owner=c=d")).contains("c=d");
  }

  @Test
  void aRepeatedOwnerOrABadEscapeIsRefused() {
    assertThatThrownBy(() -> owner("owner=a&owner=b"))
        .isInstanceOfSatisfying(ApiKeysEndpoint.Refused.class, e -> {
          assertThat(e.refusal.code()).isEqualTo(ErrorCode.APIKEY_INVALID);
          assertThat(e.refusal.message()).isEqualTo("owner: given more than once");
        });
    assertThatThrownBy(() -> owner("owner=&owner=b")).isInstanceOf(ApiKeysEndpoint.Refused.class);
    assertThatThrownBy(() -> owner("owner=%ZZ"))
        .isInstanceOfSatisfying(ApiKeysEndpoint.Refused.class, e -> {
          assertThat(e.refusal.code()).isEqualTo(ErrorCode.GEN_MALFORMED_REQUEST);
          assertThat(e.refusal.message()).isEqualTo("Malformed query string");
        });
    assertThatThrownBy(() -> owner("%ZZ=1")).isInstanceOf(ApiKeysEndpoint.Refused.class);
  }
}
