package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPair;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signature checks and key configuration of the leak-report endpoint, on GitHub's own sample. */
final class LeakReportEndpointTest {

  /** The partner programme documentation's sample request, signed by its published test key. */
  static final String GITHUB_SAMPLE_KEY_ID = "f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d";

  static final String GITHUB_SAMPLE_PEM =
      "-----BEGIN PUBLIC KEY-----\n"
          + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsz9ugWDj5jK5ELBK42ynytbo38gP\n"
          + "HzZFI03Exwz8Lh/tCfL3YxwMdLjB+bMznsanlhK0RwcGP3IDb34kQDIo3Q==\n"
          + "-----END PUBLIC KEY-----\n";

  static final String GITHUB_SAMPLE_SIGNATURE =
      "MEUCIFLZzeK++IhS+y276SRk2Pe5LfDrfvTXu6iwKKcFGCrvAiEAhHN2kDOhy2I6eGkOFmxNkOJ+L2y8oQ9A2T9GGJo6WJY=";

  static final String GITHUB_SAMPLE_BODY =
      "[{\"token\":\"some_token\",\"type\":\"some_type\",\"url\":\"some_url\",\"source\":\"some_source\"}]";

  @Test
  void githubsDocumentedSampleVerifies() {
    PublicKey key = LeakReportEndpoint.publicKey(GITHUB_SAMPLE_KEY_ID, GITHUB_SAMPLE_PEM);
    byte[] body = GITHUB_SAMPLE_BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(LeakReportEndpoint.verify(key, body, GITHUB_SAMPLE_SIGNATURE)).isTrue();
  }

  @Test
  void anyChangeToTheBodyOrSignatureFailsVerification() {
    PublicKey key = LeakReportEndpoint.publicKey(GITHUB_SAMPLE_KEY_ID, GITHUB_SAMPLE_PEM);
    byte[] reformatted = GITHUB_SAMPLE_BODY.replace(",", ", ").getBytes(StandardCharsets.UTF_8);
    assertThat(LeakReportEndpoint.verify(key, reformatted, GITHUB_SAMPLE_SIGNATURE)).isFalse();
    byte[] body = GITHUB_SAMPLE_BODY.getBytes(StandardCharsets.UTF_8);
    byte[] sig = Base64.getDecoder().decode(GITHUB_SAMPLE_SIGNATURE);
    sig[sig.length - 1] ^= 1;
    assertThat(LeakReportEndpoint.verify(key, body, Base64.getEncoder().encodeToString(sig))).isFalse();
    assertThat(LeakReportEndpoint.verify(key, body, "not base64!")).isFalse();
    assertThat(LeakReportEndpoint.verify(key, body, "AAAA")).isFalse();
    assertThat(LeakReportEndpoint.verify(key, body, "")).isFalse();
  }

  @Test
  void onlyPemEcP256PublicKeysAreAccepted() throws Exception {
    KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
    p384.initialize(new ECGenParameterSpec("secp384r1"));
    String pem384 = pem(p384.generateKeyPair().getPublic().getEncoded());
    assertThatThrownBy(() -> LeakReportEndpoint.publicKey("k384", pem384))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k384")
        .hasMessageContaining("P-256");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String pemRsa = pem(rsa.generateKeyPair().getPublic().getEncoded());
    assertThatThrownBy(() -> LeakReportEndpoint.publicKey("krsa", pemRsa))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("krsa");
    assertThatThrownBy(() -> LeakReportEndpoint.publicKey("kbad", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kbad");
  }

  @Test
  void theEndpointNeedsAKeyAndAPlainPath() {
    LeakReportEndpoint.Responder none = (t, u, s) -> false;
    assertThatThrownBy(() -> new LeakReportEndpoint("/gh", Map.of(), none, 1000))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {"gh", "/gh/", "/a/../b", "/api-keys/leaks", "/a b"}) {
      assertThatThrownBy(() -> new LeakReportEndpoint(bad, Map.of("k", GITHUB_SAMPLE_PEM), none, 1000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("leak response path");
    }
    LeakReportEndpoint e = new LeakReportEndpoint("/gh/leaks", Map.of("k", GITHUB_SAMPLE_PEM), none, 1000);
    assertThat(e.handles("/gh/leaks")).isTrue();
    assertThat(e.handles("/gh/leaks/x")).isFalse();
    assertThat(e.handles("/gh")).isFalse();
  }

  @Test
  void tokenHashesAreSha256Hex() {
    assertThat(LeakReportEndpoint.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  // serve(): a fresh P-256 key pair and endpoint per test

  private final KeyPair pair = p256();
  private final List<String> reported = new ArrayList<>();

  private static KeyPair p256() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String sign(byte[] body) throws Exception {
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(pair.getPrivate());
    s.update(body);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  private LeakReportEndpoint endpoint(long filterMax) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(" key-1 ", pem(pair.getPublic().getEncoded()));
    return new LeakReportEndpoint(
        "/gh/leaks",
        keys,
        (token, url, source) -> {
          reported.add(token + "|" + url + "|" + source);
          return token.startsWith("ours_");
        },
        filterMax);
  }

  private Fakes.Request signed(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return new Fakes.Request()
        .path("POST", "/gh/leaks")
        .body("application/json", bytes)
        .header(LeakReportEndpoint.KEY_ID_HEADER, "key-1")
        .header(LeakReportEndpoint.SIGNATURE_HEADER, sign(bytes));
  }

  private static Fakes.Response serve(LeakReportEndpoint e, Fakes.Request r) throws Exception {
    Fakes.Response out = new Fakes.Response();
    e.serve(r.build(), out.build());
    return out;
  }

  private static JsonNode json(Fakes.Response out) throws Exception {
    return Json.MAPPER.readTree(out.body.toByteArray());
  }

  private static void assertRefused(Fakes.Response out, int status, String code, String messagePart) throws Exception {
    assertThat(out.status).isEqualTo(status);
    String body = out.body.toString(StandardCharsets.UTF_8);
    assertThat(body).contains("\"" + code + "\"");
    if (messagePart != null) {
      assertThat(body).contains(messagePart);
    }
  }

  @Test
  void aSignedReportIsAnsweredWithFeedbackPerTokenAndNeverTheToken() throws Exception {
    String body =
        "[{\"token\":\"ours_abc\",\"type\":\"blnk_key\",\"url\":\"https://x/y\",\"source\":\"content\"},"
            + "{\"token\":\"theirs\",\"type\":\"other\"}]";
    Fakes.Response out = serve(endpoint(1 << 20), signed(body));
    assertThat(out.status).isEqualTo(200);
    assertThat(out.headers).containsEntry("Content-Type", "application/json");
    assertThat(reported).containsExactly("ours_abc|https://x/y|content", "theirs||");
    JsonNode feedback = json(out);
    assertThat(feedback.size()).isEqualTo(2);
    assertThat(feedback.get(0).get("token_hash").textValue()).isEqualTo(LeakReportEndpoint.sha256Hex("ours_abc"));
    assertThat(feedback.get(0).get("token_type").textValue()).isEqualTo("blnk_key");
    assertThat(feedback.get(0).get("label").textValue()).isEqualTo("true_positive");
    assertThat(feedback.get(1).get("token_hash").textValue()).isEqualTo(LeakReportEndpoint.sha256Hex("theirs"));
    assertThat(feedback.get(1).get("token_type").textValue()).isEqualTo("other");
    assertThat(feedback.get(1).get("label").textValue()).isEqualTo("false_positive");
    assertThat(feedback.get(0).size()).isEqualTo(3);
    assertThat(out.body.toString(StandardCharsets.UTF_8)).doesNotContain("ours_abc").doesNotContain("theirs\"");
  }

  @Test
  void anEmptyReportIsAnEmptyFeedbackArray() throws Exception {
    Fakes.Response out = serve(endpoint(1 << 20), signed("[]"));
    assertThat(out.status).isEqualTo(200);
    assertThat(out.body.toString(StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(reported).isEmpty();
  }

  @Test
  void anotherMethodIs405AllowingPost() throws Exception {
    Fakes.Request r = signed("[]");
    r.method = "GET";
    Fakes.Response out = serve(endpoint(1 << 20), r);
    assertRefused(out, 405, "GEN_METHOD_NOT_ALLOWED", null);
    assertThat(out.headers).containsEntry("Allow", "POST");
  }

  @Test
  void onlyUtf8JsonWithoutContentEncodingIsRead() throws Exception {
    for (String type : new String[] {"text/plain", "application/json; charset=iso-8859-1", null}) {
      Fakes.Request r = signed("[]");
      r.contentType = type;
      assertRefused(serve(endpoint(1 << 20), r), 415, "GEN_UNSUPPORTED_MEDIA_TYPE", "application/json in UTF-8");
    }
    for (String type : new String[] {"application/json; charset=UTF-8", "Application/JSON"}) {
      Fakes.Request r = signed("[]");
      r.contentType = type;
      assertThat(serve(endpoint(1 << 20), r).status).as(type).isEqualTo(200);
    }
    Fakes.Request gzip = signed("[]").header("Content-Encoding", "gzip");
    assertRefused(serve(endpoint(1 << 20), gzip), 415, "GEN_UNSUPPORTED_MEDIA_TYPE", "content encoding");
    for (String enc : new String[] {" Identity ", "", " "}) {
      Fakes.Request r = signed("[]").header("Content-Encoding", enc);
      assertThat(serve(endpoint(1 << 20), r).status).as("encoding '%s'", enc).isEqualTo(200);
    }
  }

  @Test
  void bothGithubHeadersAreRequired() throws Exception {
    for (String drop : new String[] {LeakReportEndpoint.KEY_ID_HEADER, LeakReportEndpoint.SIGNATURE_HEADER}) {
      for (String value : new String[] {null, " "}) {
        Fakes.Request r = signed("[]");
        r.headers.remove(drop.toLowerCase(java.util.Locale.ROOT));
        if (value != null) {
          r.header(drop, value);
        }
        assertRefused(
            serve(endpoint(1 << 20), r),
            400,
            "GEN_MALFORMED_REQUEST",
            "Github-Public-Key-Identifier and Github-Public-Key-Signature are required");
      }
    }
    assertThat(reported).isEmpty();
  }

  @Test
  void anUnknownKeyOrABadSignatureIs401BeforeTheBodyIsParsed() throws Exception {
    Fakes.Request unknown = signed("not json");
    unknown.headers.remove(LeakReportEndpoint.KEY_ID_HEADER.toLowerCase(java.util.Locale.ROOT));
    unknown.header(LeakReportEndpoint.KEY_ID_HEADER, "key-2");
    assertRefused(serve(endpoint(1 << 20), unknown), 401, "AUTH_INVALID_SIGNATURE", "Unknown Github-Public-Key-Identifier");

    Fakes.Request trimmed = signed("[]");
    trimmed.headers.clear();
    byte[] bytes = "[]".getBytes(StandardCharsets.UTF_8);
    trimmed.header(LeakReportEndpoint.KEY_ID_HEADER, " key-1 ").header(LeakReportEndpoint.SIGNATURE_HEADER, " " + sign(bytes) + " ");
    assertThat(serve(endpoint(1 << 20), trimmed).status).isEqualTo(200);

    Fakes.Request tampered = signed("[]");
    tampered.body = "[ ]".getBytes(StandardCharsets.UTF_8);
    tampered.contentLength = 3;
    Fakes.Response out = serve(endpoint(1 << 20), tampered);
    assertRefused(out, 401, "AUTH_INVALID_SIGNATURE", null);
    assertThat(out.body.toString(StandardCharsets.UTF_8)).doesNotContain("Unknown");
    assertThat(reported).isEmpty();
  }

  /**
   * The endpoint is public and a signature check is expensive: with every check permit taken (a
   * flood in progress), a report is answered 429 with Retry-After at once, before any check and
   * without acting on a token; once a permit is free, the same signed report is served.
   */
  @Test
  void overTheSignatureCheckLimitAReportIs429AtOnceAndServedWhenAPermitFrees() throws Exception {
    LeakReportEndpoint endpoint = endpoint(1 << 20);
    String body = "[{\"token\":\"ours_abc\",\"type\":\"blnk_key\"}]";
    assertThat(endpoint.verifications().availablePermits())
        .isEqualTo(LeakReportEndpoint.MAX_CONCURRENT_VERIFICATIONS)
        .isEqualTo(2);
    endpoint.verifications().acquire(2);

    Fakes.Response busy = serve(endpoint, signed(body));
    assertRefused(busy, 429, "GEN_RATE_LIMITED", null);
    assertThat(busy.headers).containsEntry("Retry-After", "1");
    assertThat(reported).isEmpty();

    endpoint.verifications().release();
    Fakes.Response served = serve(endpoint, signed(body));
    assertThat(served.status).isEqualTo(200);
    assertThat(reported).containsExactly("ours_abc||");
    // the check gave its permit back, a bad signature too
    Fakes.Request tampered = signed("[]");
    tampered.body = "[ ]".getBytes(StandardCharsets.UTF_8);
    tampered.contentLength = 3;
    assertRefused(serve(endpoint, tampered), 401, "AUTH_INVALID_SIGNATURE", null);
    assertThat(endpoint.verifications().availablePermits()).isEqualTo(1);
  }

  @Test
  void aBodyThatIsNotAnArrayOfMatchesIs400() throws Exception {
    assertRefused(serve(endpoint(1 << 20), signed("[{")), 400, "GEN_MALFORMED_REQUEST", "Malformed request body: ");
    assertRefused(serve(endpoint(1 << 20), signed("")), 400, "GEN_MALFORMED_REQUEST", "a JSON array of matches is required");
    assertRefused(
        serve(endpoint(1 << 20), signed("{\"token\":\"a\",\"type\":\"b\"}")),
        400,
        "GEN_MALFORMED_REQUEST",
        "a JSON array of matches is required");
    for (String bad :
        new String[] {
          "[1]", "[{\"type\":\"b\"}]", "[{\"token\":\"a\"}]", "[{\"token\":1,\"type\":\"b\"}]",
          "[{\"token\":\"a\",\"type\":2}]", "[{\"token\":\"ours_a\",\"type\":\"b\"},{\"token\":\"a\"}]"
        }) {
      assertRefused(
          serve(endpoint(1 << 20), signed(bad)),
          400,
          "GEN_MALFORMED_REQUEST",
          "each match is an object with string fields token and type");
    }
    assertThat(reported).as("nothing is acted on before the whole report is checked").isEmpty();
  }

  @Test
  void aBodyAboveTheSmallerLimitIs413() throws Exception {
    String body = "[{\"token\":\"ours_a\",\"type\":\"b\"}]";
    int n = body.getBytes(StandardCharsets.UTF_8).length;
    assertThat(serve(endpoint(n), signed(body)).status).isEqualTo(200);
    assertRefused(serve(endpoint(n - 1), signed(body)), 413, "GEN_PAYLOAD_TOO_LARGE", null);
    assertThat(reported).hasSize(1);
  }

  @Test
  void anUnreadableBodyIs400() throws Exception {
    Fakes.Request r = signed("[]");
    r.contentLength = -1;
    Fakes.Response out = new Fakes.Response();
    jakarta.servlet.http.HttpServletRequest broken =
        new jakarta.servlet.http.HttpServletRequestWrapper(r.build()) {
          @Override
          public jakarta.servlet.ServletInputStream getInputStream() throws java.io.IOException {
            throw new java.io.IOException("connection reset");
          }
        };
    endpoint(1 << 20).serve(broken, out.build());
    assertRefused(out, 400, "GEN_MALFORMED_REQUEST", "Request body could not be read");
  }

  @Test
  void theLimitIsAtMostOneMebibyteAndToStringNamesKeysNotPems() {
    assertThat(LeakReportEndpoint.MAX_BODY_BYTES).isEqualTo(1 << 20);
    LeakReportEndpoint e = endpoint(Long.MAX_VALUE);
    assertThat(e).hasToString("LeakReportEndpoint[/gh/leaks, keys [key-1]]");
    assertThatThrownBy(() -> new LeakReportEndpoint("/gh", Map.of(" ", pem(pair.getPublic().getEncoded())), (t, u, s) -> true, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identifier must not be empty");
    assertThatThrownBy(() -> new LeakReportEndpoint("/gh", Map.of("k", pem(pair.getPublic().getEncoded())), null, 10))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new LeakReportEndpoint("/gh", Map.of(), (t, u, s) -> true, 10))
        .hasMessage("leak response needs at least one GitHub public key");
  }

  @Test
  void aMegabyteReportIsReadWhenTheFilterAllowsMore() throws Exception {
    StringBuilder sb = new StringBuilder("[{\"token\":\"ours_a\",\"type\":\"b\",\"url\":\"");
    int fixed = sb.length() + "\"}]".length();
    sb.append("u".repeat((1 << 20) - fixed)).append("\"}]");
    assertThat(sb.length()).isEqualTo(1 << 20);
    assertThat(serve(endpoint(Long.MAX_VALUE), signed(sb.toString())).status).isEqualTo(200);
    sb.insert(1, ' ');
    assertRefused(serve(endpoint(Long.MAX_VALUE), signed(sb.toString())), 413, "GEN_PAYLOAD_TOO_LARGE", null);
  }

  static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }
}
