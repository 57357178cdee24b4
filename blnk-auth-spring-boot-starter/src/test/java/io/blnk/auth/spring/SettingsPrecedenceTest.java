package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.store.KeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blnk.auth.*} over {@code BLNK_SERVER_*} over {@code blnk.json} over the defaults. */
final class SettingsPrecedenceTest {

  static final String PROPS_KEY = "props-master-key-0123456789-abcdefghijklmnop";
  static final String ENV_KEY = "env-master-key-0123456789-abcdefghijklmnopqr";
  static final String JSON_KEY = "json-master-key-0123456789-abcdefghijklmnopq";

  @TempDir Path dir;

  private BlnkAuth build(BlnkAuthProperties props, Map<String, String> env) {
    BlnkAuth.Builder b = BlnkAuth.builder().store(KeyStore.inMemory());
    BlnkAuthSettings.applySecurity(b, props, BlnkAuthSettings.blnkConfig(props, env));
    BlnkAuthSettings.applyValues(b, props);
    return b.build();
  }

  private BlnkAuthProperties withJson(String json) throws Exception {
    Path file = dir.resolve("blnk.json");
    Files.writeString(file, json);
    BlnkAuthProperties props = new BlnkAuthProperties();
    props.setConfigFile(file);
    return props;
  }

  private static boolean accepts(BlnkAuth auth, String key) {
    return auth.authenticate(key, "").granted();
  }

  @Test
  void aPropertyWinsOverTheEnvironmentAndTheFile() throws Exception {
    BlnkAuthProperties props = withJson("{\"server\":{\"secret_key\":\"" + JSON_KEY + "\"}}");
    props.setMasterKey(PROPS_KEY);
    try (BlnkAuth auth = build(props, Map.of("BLNK_SERVER_SECRET_KEY", ENV_KEY))) {
      assertThat(accepts(auth, PROPS_KEY)).isTrue();
      assertThat(accepts(auth, ENV_KEY)).isFalse();
      assertThat(accepts(auth, JSON_KEY)).isFalse();
    }
  }

  @Test
  void theEnvironmentWinsOverTheFile() throws Exception {
    BlnkAuthProperties props = withJson("{\"server\":{\"secret_key\":\"" + JSON_KEY + "\"}}");
    try (BlnkAuth auth = build(props, Map.of("BLNK_SERVER_SECRET_KEY", ENV_KEY))) {
      assertThat(accepts(auth, ENV_KEY)).isTrue();
      assertThat(accepts(auth, JSON_KEY)).isFalse();
    }
  }

  @Test
  void theFileAppliesAlone() throws Exception {
    BlnkAuthProperties props = withJson("{\"server\":{\"secret_key\":\"" + JSON_KEY + "\"}}");
    try (BlnkAuth auth = build(props, Map.of())) {
      assertThat(accepts(auth, JSON_KEY)).isTrue();
    }
  }

  @Test
  void theEnvironmentCanBeIgnored() throws Exception {
    BlnkAuthProperties props = withJson("{\"server\":{\"secret_key\":\"" + JSON_KEY + "\"}}");
    props.setUseBlnkEnvironment(false);
    try (BlnkAuth auth = build(props, Map.of("BLNK_SERVER_SECRET_KEY", ENV_KEY))) {
      assertThat(accepts(auth, JSON_KEY)).isTrue();
      assertThat(accepts(auth, ENV_KEY)).isFalse();
    }
  }

  @Test
  void secureModeFromAPropertyWinsOverTheEnvironment() throws Exception {
    BlnkAuthProperties props = withJson("{}");
    props.setSecure(true);
    props.setMasterKey(PROPS_KEY);
    try (BlnkAuth auth = build(props, Map.of("BLNK_SERVER_SECURE", "false"))) {
      assertThat(auth.secure()).isTrue();
    }
    BlnkAuthProperties off = withJson("{\"server\":{\"secure\":true}}");
    off.setSecure(false);
    try (BlnkAuth auth = build(off, Map.of())) {
      assertThat(auth.secure()).isFalse();
    }
  }

  @Test
  void aWeakKeyFromAnySourceIsAMasterKeyException() throws Exception {
    BlnkAuthProperties props = withJson("{}");
    assertThatThrownBy(() -> build(props, Map.of("BLNK_SERVER_SECRET_KEY", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("variety")
        .hasMessageNotContaining("aaaaaaaa");
    BlnkAuthProperties prev = withJson("{}");
    prev.setMasterKey(PROPS_KEY);
    prev.setPreviousMasterKeys(java.util.List.of("weak"));
    assertThatThrownBy(() -> build(prev, Map.of())).isInstanceOf(MasterKeyException.class);
  }

  static final String ENV_PREVIOUS = "env-previous-key-0123456789-abcdefghijklmn";
  static final String PROPS_PREVIOUS = "props-previous-key-0123456789-abcdefghijk";

  @Test
  void eachSecurityOptionIsSetOnceWhicheverSourceGivesTheKey() throws Exception {
    BlnkAuthProperties props = withJson("{}");
    props.setPreviousMasterKeys(java.util.List.of(PROPS_PREVIOUS));
    Map<String, String> env =
        Map.of("BLNK_SERVER_SECRET_KEY", ENV_KEY, "BLNK_SERVER_PREVIOUS_SECRET_KEYS", ENV_PREVIOUS);
    try (BlnkAuth auth = build(props, env)) {
      assertThat(auth.settings().secure()).isTrue();
      assertThat(accepts(auth, ENV_KEY)).isTrue();
      assertThat(accepts(auth, ENV_PREVIOUS)).isTrue();
      assertThat(accepts(auth, PROPS_PREVIOUS)).isTrue();
      assertThat(auth.settings().previousMasterKeyCount()).isEqualTo(2);
    }
    props.setMasterKey(PROPS_KEY);
    try (BlnkAuth auth = build(props, env)) {
      assertThat(accepts(auth, PROPS_KEY)).isTrue();
      assertThat(accepts(auth, PROPS_PREVIOUS)).isTrue();
      assertThat(accepts(auth, ENV_PREVIOUS)).isFalse();
    }
  }

  @Test
  void secureFromAPropertyTakesTheKeyOfAnEnvironmentThatTurnedSecureModeOff() throws Exception {
    BlnkAuthProperties props = withJson("{}");
    props.setSecure(true);
    try (BlnkAuth auth =
        build(props, Map.of("BLNK_SERVER_SECURE", "false", "BLNK_SERVER_SECRET_KEY", ENV_KEY))) {
      assertThat(auth.secure()).isTrue();
      assertThat(accepts(auth, ENV_KEY)).isTrue();
    }
  }

  @Test
  void aResourcePropertyNamingOneOfBlnksIsRefusedNamingTheProperty() {
    BlnkAuthProperties props = new BlnkAuthProperties();
    props.setResources(java.util.List.of("invoices", "ledgers"));
    assertThatThrownBy(() -> BlnkAuthSettings.registry(props))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("blnk.auth.resources: resource \"ledgers\" is already added");
    props.setResources(java.util.List.of("invoices"));
    assertThat(BlnkAuthSettings.registry(props).find("invoices")).isPresent();
  }
}
