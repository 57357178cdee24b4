package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
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

  static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }
}
