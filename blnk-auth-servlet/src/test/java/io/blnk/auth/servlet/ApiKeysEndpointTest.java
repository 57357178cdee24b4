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
import io.blnk.auth.AuthResult;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
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
  // The lifecycle routes. Each test builds its own auth (above, per instance) and endpoint.

  /** A hand-written event log recording what it was asked for. */
  private static final class RecordingLog implements KeyEventLog {
    final List<String> calls = new ArrayList<>();

    @Override
    public Page eventsOf(ApiKeyId key, Optional<String> cursor, int limit) {
      if (cursor.filter(c -> c.equals("bad")).isPresent()) {
        throw new IllegalArgumentException("cursor: not one this log returned");
      }
      calls.add(key.value() + "|" + cursor.orElse("-") + "|" + limit);
      return new Page(List.of(), Optional.of("next-1"));
    }
  }

  private final RecordingLog log = new RecordingLog();

  private ApiKeysEndpoint withLog() {
    return new ApiKeysEndpoint(
        auth.keys(), new BodyPolicy(1024 * 1024, TagTargets.of(Map.of())), InstantSource.system(), log);
  }

  private Answer call(ApiKeysEndpoint e, BlnkPrincipal caller, String method, String path, String query, String body)
      throws IOException {
    Fakes.Request r = new Fakes.Request().path(method, path);
    r.query = query;
    if (body != null) {
      r.body("application/json", body.getBytes(StandardCharsets.UTF_8));
    }
    Fakes.Response out = new Fakes.Response();
    e.serve(r.build(), out.build(), caller, path);
    return new Answer(out.status, out.headers, out.body.toString(StandardCharsets.UTF_8), out.committed);
  }

  private void assertInvalid(Answer a, int status, String code, String message) throws IOException {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.code()).isEqualTo(code);
    assertThat(a.message()).isEqualTo(message);
  }

  @Test
  void createTakesEveryField() throws IOException {
    Answer a = call("POST", "/api-keys", null,
        "{\"name\":\"n\",\"owner\":\"o1\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"2099-01-02T03:04:05Z\","
            + "\"meta_data\":{\"team\": \"x\"},\"allowed_ips\":[\"10.0.0.0/8\"]}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    String id = a.json().get("api_key_id").asText();
    JsonNode k = call("GET", "/api-keys/" + id, null, null).json();
    assertThat(k.get("expires_at").asText()).startsWith("2099-01-02T03:04:05");
    assertThat(k.get("meta_data").toString()).isEqualTo("{\"team\":\"x\"}");
    assertThat(k.get("allowed_ips").toString()).isEqualTo("[\"10.0.0.0/8\"]");
    assertThat(k.get("status").asText()).isEqualTo("active");
  }

  @Test
  void getAnswersOneKeyAndPatchChangesOnlyTheFieldsGiven() throws IOException {
    String id = create("o1").get("api_key_id").asText();
    Answer got = call("GET", "/api-keys/" + id, "owner=o1", null);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().get("api_key_id").asText()).isEqualTo(id);
    assertThat(got.json().get("name").asText()).isEqualTo("n");
    assertThat(got.json().has("key")).isFalse();
    assertThat(call("GET", "/api-keys/" + id, "owner=o2", null).status()).isEqualTo(404);

    Answer patched = call("PATCH", "/api-keys/" + id, "owner=o1",
        "{\"name\":\"renamed\",\"scopes\":[\"ledgers:write\"],\"expires_at\":\"2099-01-02T03:04:05Z\","
            + "\"meta_data\":{\"a\": 1},\"allowed_ips\":[\"10.0.0.0/8\"]}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    JsonNode k = patched.json();
    assertThat(k.get("name").asText()).isEqualTo("renamed");
    assertThat(k.get("scopes").toString()).isEqualTo("[\"ledgers:write\"]");
    assertThat(k.get("expires_at").asText()).startsWith("2099-01-02T03:04:05");
    assertThat(k.get("meta_data").toString()).isEqualTo("{\"a\":1}");
    assertThat(k.get("allowed_ips").toString()).isEqualTo("[\"10.0.0.0/8\"]");
    assertThat(call("GET", "/api-keys/" + id, null, null).json().get("name").asText()).isEqualTo("renamed");

    assertInvalid(call("PATCH", "/api-keys/" + id, null, "{\"unknown\":1}"), 400, "APIKEY_INVALID",
        "nothing to update: give at least one of name, expires_at, scopes, meta_data, allowed_ips, rate_limits, credits");
    Answer sameAnswer = call("PATCH", "/api-keys/" + id, null, "{\"name\":\"renamed\",\"scopes\":null}");
    assertThat(sameAnswer.status()).as(sameAnswer.body()).isEqualTo(200);
    JsonNode same = sameAnswer.json();
    assertThat(same.get("name").asText()).isEqualTo("renamed");
    assertThat(same.get("scopes").toString()).isEqualTo("[\"ledgers:write\"]");
    assertThat(same.get("allowed_ips").toString()).isEqualTo("[\"10.0.0.0/8\"]");
    assertThat(same.get("meta_data").toString()).isEqualTo("{\"a\":1}");

    Answer credits = call("PATCH", "/api-keys/" + id, null, "{\"credits\":{\"remaining\":5}}");
    assertThat(credits.status()).as(credits.body()).isEqualTo(200);
    assertThat(credits.json().get("credits").get("remaining").asLong()).isEqualTo(5);
    assertThat(credits.json().get("name").asText()).isEqualTo("renamed");

    assertInvalid(call("PATCH", "/api-keys/" + id, null, ""), 400, "GEN_MALFORMED_REQUEST",
        "Malformed request body: a JSON object is required");
    assertInvalid(call("PATCH", "/api-keys/" + id, null, "{\"meta_data\":[1]}"), 400, "APIKEY_INVALID",
        "meta_data: expected an object, got array");
    assertInvalid(call("PATCH", "/api-keys/" + id, null, "{\"allowed_ips\":\"10.0.0.1\"}"), 400, "APIKEY_INVALID",
        "allowed_ips: expected an array of strings, got string");
    assertInvalid(call("PATCH", "/api-keys/" + id, null, "{\"name\":false}"), 400, "APIKEY_INVALID",
        "name: expected a string, got boolean");
    Answer missing = call("PATCH", "/api-keys/api_key_nope", null, "{\"name\":\"x\"}");
    assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("APIKEY_NOT_FOUND");
  }

  @Test
  void metaDataIsAtMostItsLimitInBytes() throws IOException {
    String id = create("o1").get("api_key_id").asText();
    String frame = "{\"x\":\"\"}";
    String atLimit = "{\"x\":\"" + "y".repeat(ApiKey.MAX_META_DATA_BYTES - frame.length()) + "\"}";
    assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(ApiKey.MAX_META_DATA_BYTES);
    Answer ok = call("PATCH", "/api-keys/" + id, null, "{\"meta_data\":" + atLimit + "}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("meta_data").toString()).isEqualTo(atLimit);
    String over = "{\"x\":\"" + "y".repeat(ApiKey.MAX_META_DATA_BYTES - frame.length() + 1) + "\"}";
    assertInvalid(call("PATCH", "/api-keys/" + id, null, "{\"meta_data\":" + over + "}"), 400, "APIKEY_INVALID",
        "meta_data: at most 4096 bytes of JSON are allowed");
  }

  @Test
  void disableAndEnableAnswerTheKeyAsItNowIs() throws IOException {
    String id = create("o1").get("api_key_id").asText();
    Answer off = call("POST", "/api-keys/" + id + "/disable", "owner=o1", null);
    assertThat(off.status()).as(off.body()).isEqualTo(200);
    assertThat(off.json().get("status").asText()).isEqualTo("disabled");
    assertThat(off.json().get("disabled_at").isNull()).isFalse();
    Answer listed = call("GET", "/api-keys", "owner=o1&status=disabled", null);
    assertThat(listed.json().size()).as(listed.body()).isEqualTo(1);
    assertThat(call("GET", "/api-keys", "owner=o1&status=active", null).json().size()).isZero();
    Answer on = call("POST", "/api-keys/" + id + "/enable", "owner=o1", null);
    assertThat(on.status()).as(on.body()).isEqualTo(200);
    assertThat(on.json().get("status").asText()).isEqualTo("active");
    assertThat(on.json().get("disabled_at").isNull()).isTrue();
    assertThat(call("GET", "/api-keys", "owner=o1&status=disabled", null).json().size()).isZero();
    assertThat(call("POST", "/api-keys/" + id + "/disable", "owner=o2", null).status()).isEqualTo(404);
  }

  @Test
  void anUnknownStatusIsRefusedNamingTheChoices() throws IOException {
    assertInvalid(call("GET", "/api-keys", "status=gone", null), 400, "APIKEY_INVALID",
        "status: \"gone\" is not one of active, disabled, expired, revoked, rotating");
    Answer empty = call("GET", "/api-keys", "owner=o1&status=", null);
    assertThat(empty.status()).as(empty.body()).isEqualTo(200);
  }

  @Test
  void selfIsTheCallersOwnRecordOrTheMaster() throws IOException {
    Answer created = call("POST", "/api-keys", null, "{\"name\":\"me\",\"owner\":\"o1\",\"scopes\":[\"ledgers:read\"]}");
    String plain = created.json().get("key").asText();
    BlnkPrincipal me = ((AuthResult.Granted) auth.authenticate(plain, "127.0.0.1")).principal();
    Answer self = call(endpoint, me, "GET", "/api-keys/self", null, null);
    assertThat(self.status()).isEqualTo(200);
    assertThat(self.json().get("api_key_id").asText()).isEqualTo(created.json().get("api_key_id").asText());
    assertThat(self.json().get("name").asText()).isEqualTo("me");
    assertThat(self.json().has("key")).isFalse();
    Answer master = call("GET", "/api-keys/self", null, null);
    assertThat(master.status()).isEqualTo(200);
    assertThat(master.body()).isEqualTo("{\"type\":\"master\"}");
    assertThat(call("HEAD", "/api-keys/self", null, null).body()).isEmpty();
    for (String method : new String[] {"PATCH", "DELETE"}) {
      Answer a = call(method, "/api-keys/self", null, "{}");
      assertThat(a.status()).as(method).isEqualTo(405);
      assertThat(a.headers()).containsEntry("Allow", "GET, HEAD");
    }
  }

  @Test
  void theOwnerRateLimitIsReadAndSetByOwner() throws IOException {
    Answer none = call("GET", "/api-keys/owner-rate-limit", "owner=o1", null);
    assertThat(none.status()).as(none.body()).isEqualTo(200);
    assertThat(none.body()).isEqualTo("{\"owner_id\":\"o1\",\"rate_limit\":null}");
    Answer set = call("PUT", "/api-keys/owner-rate-limit", "owner=o1",
        "{\"rate_limit\":{\"name\":\"o\",\"limit\":10,\"period\":\"PT1M\"}}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).isEqualTo("{\"owner_id\":\"o1\",\"rate_limit\":{\"name\":\"o\",\"limit\":10,\"period\":\"PT1M\"}}");
    assertThat(call("GET", "/api-keys/owner-rate-limit", "owner=o1", null).body()).isEqualTo(set.body());
    assertThat(call("GET", "/api-keys/owner-rate-limit", "owner=o2", null).json().get("rate_limit").isNull()).isTrue();
    assertInvalid(call("PUT", "/api-keys/owner-rate-limit", "owner=o1", ""), 400, "GEN_MALFORMED_REQUEST",
        "Malformed request body: a JSON object is required");
    assertThat(call("PUT", "/api-keys/owner-rate-limit", "owner=o1", "{}").message()).startsWith("rate_limit: required");
    for (String method : new String[] {"PATCH", "DELETE", "POST"}) {
      Answer a = call(method, "/api-keys/owner-rate-limit", "owner=o1", "{}");
      assertThat(a.status()).as(method).isEqualTo(405);
      assertThat(a.headers()).containsEntry("Allow", "GET, HEAD, PUT");
    }
    assertThat(call("GET", "/api-keys/owner-rate-limit", "owner=o1", null).body()).isEqualTo(set.body());
  }

  @Test
  void deleteWithCascadeRevokesTheKeysRotatedFromIt() throws IOException {
    String a = create("o1").get("api_key_id").asText();
    String b = call("POST", "/api-keys/" + a + "/rotate", null, "{\"grace_period\":\"PT1H\"}").json().get("api_key_id").asText();
    assertThat(call("DELETE", "/api-keys/" + a, "cascade=false", null).status()).isEqualTo(204);
    assertThat(call("GET", "/api-keys/" + b, null, null).json().get("is_revoked").asBoolean()).isFalse();

    String c = create("o1").get("api_key_id").asText();
    String d = call("POST", "/api-keys/" + c + "/rotate", null, "{\"grace_period\":\"PT1H\"}").json().get("api_key_id").asText();
    assertThat(call("DELETE", "/api-keys/" + c, "cascade=true", null).status()).isEqualTo(204);
    assertThat(call("GET", "/api-keys/" + c, null, null).json().get("is_revoked").asBoolean()).isTrue();
    assertThat(call("GET", "/api-keys/" + d, null, null).json().get("is_revoked").asBoolean()).isTrue();

    String e = create("o1").get("api_key_id").asText();
    assertInvalid(call("DELETE", "/api-keys/" + e, "cascade=yes", null), 400, "APIKEY_INVALID",
        "cascade: must be true or false, got \"yes\"");
    assertThat(call("GET", "/api-keys/" + e, null, null).json().get("is_revoked").asBoolean()).isFalse();
  }

  @Test
  void eventsArePagedThroughTheLogAfterTheOwnerCheck() throws IOException {
    ApiKeysEndpoint e = withLog();
    assertThat(e.allowed("/api-keys/k/events")).isEqualTo("GET, HEAD");
    String id = create("o1").get("api_key_id").asText();
    Answer page = call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "owner=o1", null);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).isEqualTo("{\"events\":[],\"next_cursor\":\"next-1\"}");
    call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "cursor=c%201&limit=7", null);
    call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "limit=500", null);
    call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "limit=0010", null);
    call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "limit=1", null);
    call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "limit=99", null);
    assertThat(log.calls).containsExactly(id + "|-|50", id + "|c 1|7", id + "|-|500", id + "|-|10", id + "|-|1", id + "|-|99");
    assertThat(call(e, BlnkPrincipal.master(), "HEAD", "/api-keys/" + id + "/events", null, null).body()).isEmpty();

    for (String bad : new String[] {"0", "501", "00000", "12345", "abc", "-1", "1/", "1:", "+1"}) {
      assertInvalid(call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "limit=" + bad, null),
          400, "APIKEY_INVALID", "limit: must be a whole number from 1 to 500, got \"" + bad.replace("+", " ") + "\"");
    }
    assertInvalid(call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "cursor=bad", null),
        400, "APIKEY_INVALID", "cursor: not one this log returned");
    assertThat(call(e, BlnkPrincipal.master(), "GET", "/api-keys/" + id + "/events", "owner=o2", null).status())
        .isEqualTo(404);
    assertThat(log.calls).hasSize(7).last().isEqualTo(id + "|-|50");
    Answer post = call(e, BlnkPrincipal.master(), "POST", "/api-keys/" + id + "/events", null, null);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
  }

  @Test
  void theUnsupportedShapeMessageListsEventsOnlyWithALog() throws IOException {
    assertThat(call(withLog(), BlnkPrincipal.master(), "GET", "/api-keys/k/other", null, null).message())
        .endsWith("POST /api-keys/{id}/rotate, /disable or /enable, GET /api-keys/{id}/events");
    assertThat(call("GET", "/api-keys/k/other", null, null).message())
        .endsWith("POST /api-keys/{id}/rotate, /disable or /enable");
  }

  @Test
  void anEmptyParameterNameIsAParameterToo() throws ApiKeysEndpoint.Refused {
    Fakes.Request r = new Fakes.Request();
    r.query = "=x&a=b";
    assertThat(ApiKeysEndpoint.query(r.build(), "")).contains("x");
    assertThat(ApiKeysEndpoint.query(r.build(), "a")).contains("b");
  }
}
