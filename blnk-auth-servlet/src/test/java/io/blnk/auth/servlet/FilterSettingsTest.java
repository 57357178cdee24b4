package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings on their own: from a builder and from init parameters. */
final class FilterSettingsTest {

  static BlnkAuth auth() {
    return BlnkAuth.builder().store(KeyStore.inMemory()).masterKey(TestServer.MASTER)
        .hasher(KeyHasher.hmacSha256(new byte[32])).listener(AuthListener.none()).build();
  }

  @Test
  void tagTargetsParseFromText() {
    assertThat(FilterSettings.parseTagTargets(" /transactions/bulk = /transactions/*/meta_data , /meta_data ;\n/x/*=/a~1b"))
        .isEqualTo(Map.of("/transactions/bulk", List.of("/transactions/*/meta_data", "/meta_data"), "/x/*", List.of("/a~1b")));
    assertThatThrownBy(() -> FilterSettings.parseTagTargets("/x")).hasMessageContaining("route=pointer");
  }

  @Test
  void initParametersReachTheBuilder() throws Exception {
    try (BlnkAuth auth = auth()) {
      BlnkAuthFilter.Builder b =
          FilterSettings.builderFrom(
              Fakes.config(Map.of("publicPaths", "/status, /", "maxBodyBytes", " 2048 ", "apiBasePath", "/api/",
                  "tagTargets", "/transactions/bulk=/transactions/*/meta_data")),
              auth);
      assertThat(b.publicPaths).containsExactlyInAnyOrder("/status", "/");
      assertThat(b.maxBodyBytes).isEqualTo(2048);
      assertThat(b.apiBasePath).isEqualTo("/api");
      assertThat(b.tagTargets).containsEntry("/transactions/bulk", List.of("/transactions/*/meta_data"));
      assertThat(FilterSettings.builderFrom(Fakes.config(Map.of()), auth).apiBasePath).isNull();
      assertThat(FilterSettings.builderFrom(Fakes.config(Map.of("apiBasePath", "")), auth).apiBasePath).isEmpty();
    }
  }

  @Test
  void trustedProxiesComeFromInitParameters() throws Exception {
    try (BlnkAuth auth = auth()) {
      BlnkAuthFilter.Builder b =
          FilterSettings.builderFrom(
              Fakes.config(Map.of("trustedProxies", "10.0.0.0/8, 2001:db8::/32", "forwardedHeader", "forwarded")), auth);
      assertThat(b.trustedProxies).hasSize(2);
      assertThat(b.forwardedHeader).isEqualTo(ClientAddress.Header.FORWARDED);
      FilterSettings s = FilterSettings.of(b);
      Fakes.Request r = new Fakes.Request();
      r.remoteAddr = "10.1.1.1";
      r.header("Forwarded", "for=198.51.100.4");
      assertThat(s.clients.of(r.build())).isEqualTo("198.51.100.4");
      assertThat(FilterSettings.of(BlnkAuthFilter.builder(auth)).clients.trustsProxies()).isFalse();
      assertThatThrownBy(() -> FilterSettings.builderFrom(Fakes.config(Map.of("trustedProxies", "10.0.0.1/8")), auth))
          .hasMessageContaining("10.0.0.1/8");
      assertThatThrownBy(() -> FilterSettings.builderFrom(Fakes.config(Map.of("forwardedHeader", "X-Real-IP")), auth))
          .hasMessageContaining("X-Real-IP");
    }
  }

  @Test
  void badInitParametersAreNamed() throws Exception {
    try (BlnkAuth auth = auth()) {
      assertThatThrownBy(() -> FilterSettings.builderFrom(Fakes.config(Map.of("maxBodyBytes", "lots")), auth))
          .hasMessageContaining("maxBodyBytes");
      assertThatThrownBy(() -> FilterSettings.builderFrom(Fakes.config(Map.of("apiBasePath", "api")), auth))
          .hasMessageContaining("apiBasePath");
      assertThatThrownBy(() -> FilterSettings.builderFrom(Fakes.config(Map.of("tagTargets", "/x=meta_data")), auth))
          .hasMessageContaining("JSON pointer");
    }
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(Fakes.config(Map.of("environment", "maybe"))))
        .isInstanceOf(ServletException.class).hasMessageContaining("environment");
  }

  @Test
  void previousSecretKeysComeFromBlnkJsonAndTheInitParameter(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String fromFile = "Previous-file-key-0123456789-abcdefghijKLMNOP";
    String fromParam = "Previous-param-key-0123456789-abcdefghijKLMN";
    java.nio.file.Path json = dir.resolve("blnk.json");
    java.nio.file.Files.writeString(json, "{\"server\":{\"secret_key\":\"" + TestServer.MASTER
        + "\",\"previous_secret_keys\":[\"" + fromFile + "\"]}}");
    FilterSettings s =
        FilterSettings.fromInitParameters(
            Fakes.config(Map.of("environment", "false", "config", json.toString(),
                "storeFactory", InMemoryStoreFactory.class.getName(), "previousSecretKeys", " , " + fromParam)));
    try {
      assertThat(s.auth.authenticate(TestServer.MASTER, "").granted()).isTrue();
      assertThat(s.auth.authenticate(fromFile, "").granted()).isTrue();
      assertThat(s.auth.authenticate(fromParam, "").granted()).isTrue();
      assertThat(s.auth.authenticate("Unknown-master-key-0123456789-abcdefghijKLMN", "").granted()).isFalse();
    } finally {
      s.ownedAuth.close();
    }
  }

  @Test
  void anAbsentConfigFileMeansTheEnvironmentAlone() {
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(
            Fakes.config(Map.of("environment", "false", "config", "/nonexistent/blnk.json",
                "storeFactory", InMemoryStoreFactory.class.getName()))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("secure mode needs a master key"); // not NoSuchFileException
  }

  @Test
  void builderOptionsAreChecked() throws Exception {
    try (BlnkAuth auth = auth()) {
      BlnkAuthFilter.Builder b = BlnkAuthFilter.builder(auth);
      assertThat(BlnkAuthFilter.builder(auth).apiBasePath("/").apiBasePath).isEmpty();
      assertThat(b.apiBasePath("/v1/api").apiBasePath).isEqualTo("/v1/api");
      for (String bad : List.of("v1", "/a//b", "/a/../b", "/a/*")) {
        assertThatThrownBy(() -> b.apiBasePath(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
      }
      assertThatThrownBy(() -> b.tagTargets("/x")).hasMessageContaining("at least one");
      assertThatThrownBy(() -> b.tagTargets("x", "/meta_data")).hasMessageContaining("tag route");
      assertThatThrownBy(() -> b.tagTargets("/x//y", "/meta_data")).hasMessageContaining("empty segment");
    }
  }
}
