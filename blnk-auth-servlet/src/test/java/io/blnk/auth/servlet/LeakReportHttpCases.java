package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.json;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.AuthEvent;
import io.blnk.auth.AuthListener;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.LeakAction;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The GitHub secret scanning leak-report endpoint over real HTTP, with a locally generated P-256
 * key pair standing in for GitHub's and GitHub's own documented sample request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LeakReportHttpCases {

  static final String PATH = "/blnk-auth/secret-scanning";
  static final String LOCAL_KEY_ID = "local-test-key";

  abstract TestServer.Container container();

  /** The action the endpoint is configured with. */
  LeakAction action() {
    return LeakAction.REVOKE;
  }

  final List<AuthEvent> events = new CopyOnWriteArrayList<>();
  TestServer server;
  KeyPair github;

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  @BeforeAll
  void start() throws Exception {
    github = p256();
    AuthListener capture =
        new AuthListener() {
          @Override
          public void onEvent(AuthEvent event) {
            events.add(event);
          }
        };
    Map<String, String> keys =
        Map.of(
            LOCAL_KEY_ID,
            LeakReportEndpointTest.pem(github.getPublic().getEncoded()),
            LeakReportEndpointTest.GITHUB_SAMPLE_KEY_ID,
            LeakReportEndpointTest.GITHUB_SAMPLE_PEM);
    server =
        new TestServer(
            container(),
            true,
            b -> {},
            f -> f.leakResponse(PATH, keys, action()).maxBodyBytes(8 * 1024),
            false,
            List.of(),
            null,
            capture);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @BeforeEach
  void clear() {
    events.clear();
  }

  static String sign(PrivateKey key, byte[] body) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(body);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  HttpResponse<String> report(String body, String keyId, String signature, String contentType) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(server.uri(PATH)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    if (keyId != null) {
      r.header("GITHUB-PUBLIC-KEY-IDENTIFIER", keyId);
    }
    if (signature != null) {
      r.header("GITHUB-PUBLIC-KEY-SIGNATURE", signature);
    }
    return server.send(r.build());
  }

  HttpResponse<String> signed(String body) throws Exception {
    return report(body, LOCAL_KEY_ID, sign(github.getPrivate(), body.getBytes(StandardCharsets.UTF_8)), "application/json");
  }

  static String match(String token) {
    return "{\"token\":\"" + token + "\",\"type\":\"blnk_api_key\","
        + "\"url\":\"https://github.com/octocat/Hello-World/blob/1234/foo/bar.txt\",\"source\":\"content\"}";
  }

  long leakedEvents() {
    return events.stream().filter(e -> e.type() == AuthEvent.Type.KEY_LEAKED).count();
  }

  @Test
  void aReportedKeyIsActedOnOnceAndAnsweredInTheProgrammesFormat() throws Exception {
    CreatedKey k = server.createKey("leak-a", "ledgers:read");
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
    String body = "[" + match(key(k)) + "]";
    HttpResponse<String> r = signed(body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.body()).doesNotContain(key(k));
    JsonNode f = json(r.body());
    assertThat(f.size()).isEqualTo(1);
    assertThat(f.get(0).path("token_hash").asText()).isEqualTo(LeakReportEndpoint.sha256Hex(key(k)));
    assertThat(f.get(0).path("token_type").asText()).isEqualTo("blnk_api_key");
    assertThat(f.get(0).path("label").asText()).isEqualTo("true_positive");
    assertThat(leakedEvents()).isEqualTo(1);
    AuthEvent leaked = events.stream().filter(e -> e.type() == AuthEvent.Type.KEY_LEAKED).findFirst().orElseThrow();
    assertThat(leaked.apiKeyId()).contains(k.apiKey().id());
    assertThat(leaked.toString()).doesNotContain(key(k));
    // the very next request with the key is refused
    HttpResponse<String> use = server.get("/ledgers", key(k));
    assertThat(use.statusCode()).isEqualTo(401);
    String status = json(server.get("/api-keys/" + k.apiKey().id(), TestServer.MASTER).body()).path("status").asText();
    assertThat(status).isEqualTo(action() == LeakAction.REVOKE ? "revoked" : "disabled");

    // a replay: the same answer, no second event, nothing escalated
    events.clear();
    HttpResponse<String> again = signed(body);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again.body()).get(0).path("label").asText()).isEqualTo("true_positive");
    assertThat(leakedEvents()).isZero();
    String after = json(server.get("/api-keys/" + k.apiKey().id(), TestServer.MASTER).body()).path("status").asText();
    assertThat(after).isEqualTo(status);
  }

  @Test
  void unknownTokensAreFalsePositivesAndNothingHappens() throws Exception {
    CreatedKey k = server.createKey("leak-b", "ledgers:read");
    String almost = key(k).substring(0, key(k).length() - 1) + (key(k).endsWith("A") ? "B" : "A");
    String body = "[" + match("blnk_" + "0".repeat(49)) + "," + match(almost) + "," + match("ghp_notours") + "]";
    HttpResponse<String> r = signed(body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode f = json(r.body());
    assertThat(f.size()).isEqualTo(3);
    f.forEach(m -> assertThat(m.path("label").asText()).isEqualTo("false_positive"));
    assertThat(f.get(2).path("token_hash").asText()).isEqualTo(LeakReportEndpoint.sha256Hex("ghp_notours"));
    assertThat(leakedEvents()).isZero();
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
  }

  @Test
  void githubsDocumentedSampleRequestIsAccepted() throws Exception {
    HttpResponse<String> r =
        report(
            LeakReportEndpointTest.GITHUB_SAMPLE_BODY,
            LeakReportEndpointTest.GITHUB_SAMPLE_KEY_ID,
            LeakReportEndpointTest.GITHUB_SAMPLE_SIGNATURE,
            "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r.body()).toString())
        .isEqualTo(
            "[{\"token_hash\":\"" + LeakReportEndpoint.sha256Hex("some_token")
                + "\",\"token_type\":\"some_type\",\"label\":\"false_positive\"}]");
  }

  @Test
  void aBadSignatureOrUnknownKeyIsRefusedBeforeAnythingIsDone() throws Exception {
    CreatedKey k = server.createKey("leak-c", "ledgers:read");
    String body = "[" + match(key(k)) + "]";
    String good = sign(github.getPrivate(), body.getBytes(StandardCharsets.UTF_8));
    // signed by another key
    String forged = sign(p256().getPrivate(), body.getBytes(StandardCharsets.UTF_8));
    assertError(report(body, LOCAL_KEY_ID, forged, "application/json"), 401, "AUTH_INVALID_SIGNATURE", null);
    // the body changed after signing
    assertError(report(body + " ", LOCAL_KEY_ID, good, "application/json"), 401, "AUTH_INVALID_SIGNATURE", null);
    // garbage signature
    assertError(report(body, LOCAL_KEY_ID, "bm90IGEgc2lnbmF0dXJl", "application/json"), 401, "AUTH_INVALID_SIGNATURE", null);
    // the right signature under another key's identifier
    assertError(
        report(body, LeakReportEndpointTest.GITHUB_SAMPLE_KEY_ID, good, "application/json"),
        401,
        "AUTH_INVALID_SIGNATURE",
        null);
    HttpResponse<String> unknown = report(body, "nope", good, "application/json");
    assertError(unknown, 401, "AUTH_INVALID_SIGNATURE", null);
    assertThat(json(unknown.body()).path("error").asText()).contains("Github-Public-Key-Identifier");
    assertError(report(body, null, good, "application/json"), 400, "GEN_MALFORMED_REQUEST", null);
    assertError(report(body, LOCAL_KEY_ID, null, "application/json"), 400, "GEN_MALFORMED_REQUEST", null);
    assertThat(leakedEvents()).isZero();
    assertThat(server.get("/ledgers", key(k)).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedOversizedAndMistypedBodiesAreRefused() throws Exception {
    for (String body : List.of("", "{}", "[1]", "[{\"token\":1,\"type\":\"t\"}]", "[{\"type\":\"t\"}]", "[", "null")) {
      assertError(signed(body), 400, "GEN_MALFORMED_REQUEST", null);
    }
    String big = "[" + match("x".repeat(9000)) + "]";
    assertError(signed(big), 413, "GEN_PAYLOAD_TOO_LARGE", null);
    String body = "[" + match("blnk_x") + "]";
    String sig = sign(github.getPrivate(), body.getBytes(StandardCharsets.UTF_8));
    assertError(report(body, LOCAL_KEY_ID, sig, "text/plain"), 415, "GEN_UNSUPPORTED_MEDIA_TYPE", null);
    assertError(report(body, LOCAL_KEY_ID, sig, null), 415, "GEN_UNSUPPORTED_MEDIA_TYPE", null);
    assertError(report(body, LOCAL_KEY_ID, sig, "application/json; charset=utf-16"), 415, "GEN_UNSUPPORTED_MEDIA_TYPE", null);
    assertThat(report(body, LOCAL_KEY_ID, sig, "application/json; charset=UTF-8").statusCode()).isEqualTo(200);
    HttpResponse<String> get = server.get(PATH, null);
    assertError(get, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    // only the exact path: below it is an ordinary (unknown) resource needing a key
    assertError(server.post(PATH + "/x", null, body), 401, "AUTH_MISSING_API_KEY", null);
  }
}
