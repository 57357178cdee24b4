package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.store.KeyStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BlnkConfigTest {

  static final String STRONG = "Test-master-key-0123456789-abcdefghijKLMNOP";

  static BlnkConfig parse(String json, Map<String, String> env) throws Exception {
    return BlnkConfig.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), env);
  }

  @Test
  void theFileIsReadAndUnknownFieldsIgnored(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("blnk.json");
    Files.writeString(
        file,
        "{\"project_name\":\"x\",\"server\":{\"secure\":true,\"secret_key\":\"" + STRONG + "\",\"port\":5001,\"domain\":\"d\"}}");
    BlnkConfig c = BlnkConfig.load(file, Map.of());
    assertThat(c.secure()).isTrue();
    assertThat(c.hasSecretKey()).isTrue();
    assertThat(c.port()).hasValue(5001);
    assertThat(c.toString()).doesNotContain(STRONG);
  }

  @Test
  void theEnvironmentOverridesTheFile() throws Exception {
    BlnkConfig c =
        parse(
            "{\"server\":{\"secure\":false,\"port\":5001}}",
            Map.of("BLNK_SERVER_SECURE", "TRUE", "BLNK_SERVER_SECRET_KEY", STRONG, "BLNK_SERVER_PORT", "8080"));
    assertThat(c.secure()).isTrue();
    assertThat(c.hasSecretKey()).isTrue();
    assertThat(c.port()).hasValue(8080);
  }

  @Test
  void secureModeIsOnByDefault() throws Exception {
    assertThat(parse("{}", Map.of()).secure()).isTrue();
    assertThat(BlnkConfig.fromEnvironment(Map.of()).secure()).isTrue();
    assertThat(BlnkConfig.fromEnvironment(Map.of("BLNK_SERVER_SECURE", "false")).secure()).isFalse();
  }

  @Test
  void invalidValuesAreNamed() {
    assertThatThrownBy(() -> parse("{\"server\":{\"secure\":\"yes\"}}", Map.of())).hasMessageContaining("server.secure");
    assertThatThrownBy(() -> parse("{\"server\":{\"port\":70000}}", Map.of())).hasMessageContaining("server.port");
    assertThatThrownBy(() -> parse("{\"server\":", Map.of())).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> BlnkConfig.fromEnvironment(Map.of("BLNK_SERVER_SECURE", "1")))
        .hasMessageContaining("BLNK_SERVER_SECURE");
    assertThatThrownBy(() -> BlnkConfig.fromEnvironment(Map.of("BLNK_SERVER_PORT", "http")))
        .hasMessageContaining("BLNK_SERVER_PORT");
  }

  @Test
  void aWeakMasterKeyRefusesToStartSayingHowToGenerateOne() throws Exception {
    BlnkConfig weak = parse("{\"server\":{\"secure\":true,\"secret_key\":\"secret\"}}", Map.of());
    assertThatThrownBy(() -> weak.applyTo(BlnkAuth.builder()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("openssl rand")
        .hasMessageNotContaining("\"secret\"");
    BlnkConfig missing = parse("{\"server\":{\"secure\":true}}", Map.of());
    assertThatThrownBy(() -> missing.applyTo(BlnkAuth.builder())).hasMessageContaining("secret_key");
  }

  @Test
  void aGoodConfigurationBuildsAnInstance() throws Exception {
    BlnkConfig c = BlnkConfig.fromEnvironment(Map.of("BLNK_SERVER_SECRET_KEY", STRONG));
    try (BlnkAuth auth = c.applyTo(BlnkAuth.builder()).store(KeyStore.inMemory()).listener(AuthListener.none()).build()) {
      assertThat(auth.secure()).isTrue();
      assertThat(auth.authenticate(STRONG, "").granted()).isTrue();
    }
  }

  @Test
  void secureModeOffNeedsNoKey() throws Exception {
    BlnkConfig c = parse("{\"server\":{\"secure\":false}}", Map.of());
    try (BlnkAuth auth = c.applyTo(BlnkAuth.builder()).store(KeyStore.inMemory()).listener(AuthListener.none()).build()) {
      assertThat(auth.secure()).isFalse();
    }
  }

  @Test
  void previousSecretKeysComeFromTheFileAndTheEnvironmentWhichWins() throws Exception {
    String a = "Previous-a-key-0123456789-abcdefghijKLMNOPQR";
    String b = "Previous-b-key-0123456789-abcdefghijKLMNOPQR";
    BlnkConfig file = parse("{\"server\":{\"secret_key\":\"" + STRONG + "\",\"previous_secret_keys\":[\"" + a + "\",\"\"]}}", Map.of());
    assertThat(file.previousSecretKeyCount()).isEqualTo(1);
    assertThat(file.toString()).doesNotContain(a).contains("previous_secret_keys=1");
    try (BlnkAuth auth = file.applyTo(BlnkAuth.builder()).store(KeyStore.inMemory()).listener(AuthListener.none()).build()) {
      assertThat(auth.authenticate(a, "").granted()).isTrue();
    }
    BlnkConfig env = parse("{\"server\":{\"previous_secret_keys\":[\"" + a + "\"]}}",
        Map.of("BLNK_SERVER_SECRET_KEY", STRONG, "BLNK_SERVER_PREVIOUS_SECRET_KEYS", " " + b + " ,, " + a + " "));
    assertThat(env.previousSecretKeyCount()).isEqualTo(2);
    assertThat(env.withPreviousSecretKeys(java.util.List.of(b, "")).previousSecretKeyCount()).isEqualTo(2);
    try (BlnkAuth auth = env.applyTo(BlnkAuth.builder()).store(KeyStore.inMemory()).listener(AuthListener.none()).build()) {
      assertThat(auth.authenticate(b, "").granted()).isTrue();
    }
    assertThatThrownBy(() -> parse("{\"server\":{\"previous_secret_keys\":\"x\"}}", Map.of()))
        .hasMessageContaining("previous_secret_keys");
    assertThatThrownBy(() -> parse("{\"server\":{\"previous_secret_keys\":[1]}}", Map.of()))
        .hasMessageContaining("previous_secret_keys");
  }

  @Test
  void anAbsentBlnkJsonMeansTheEnvironmentAloneSoTheReadmeSnippetRuns(@TempDir Path dir) throws Exception {
    // The README's in-code snippet, with no blnk.json in the working directory:
    BlnkConfig c = BlnkConfig.load(dir.resolve("blnk.json"), Map.of("BLNK_SERVER_SECRET_KEY", STRONG));
    try (BlnkAuth auth = c.applyTo(BlnkAuth.builder()).store(KeyStore.inMemory()).listener(AuthListener.none()).build()) {
      assertThat(auth.authenticate(STRONG, "").granted()).isTrue();
    }
    assertThat(BlnkConfig.load(dir.resolve("blnk.json"), Map.of()).secure()).isTrue();
  }
}
