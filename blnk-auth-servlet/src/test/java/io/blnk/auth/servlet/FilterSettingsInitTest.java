package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.KeyStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Settings from init parameters: where the configuration comes from, the store factory, cleanup on failure. */
final class FilterSettingsInitTest {

  /** An in-memory store that records subscriptions, unsubscriptions and closes. */
  public static final class RecordingStoreFactory implements KeyStoreFactory {
    static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

    /** Instantiated by the settings. */
    public RecordingStoreFactory() {}

    @Override
    public KeyStore create(FilterConfig config) {
      KeyStore real = KeyStore.inMemory();
      return (KeyStore) Proxy.newProxyInstance(KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class},
          (proxy, m, args) -> {
            if (m.getName().equals("close")) {
              EVENTS.add("close");
            }
            try {
              Object out = m.invoke(real, args);
              if (m.getName().equals("subscribe")) {
                EVENTS.add("subscribe");
                AutoCloseable feed = (AutoCloseable) out;
                return (AutoCloseable) () -> {
                  EVENTS.add("unsubscribe");
                  feed.close();
                };
              }
              return out;
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }

  private static final String CONFIG = "{\"server\":{\"secret_key\":\"" + TestServer.MASTER + "\"}}";
  private final Map<String, byte[]> resources = new HashMap<>();

  @BeforeEach
  void reset() {
    RecordingStoreFactory.EVENTS.clear();
  }

  private FilterConfig config(Map<String, String> params) {
    ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ServletContext.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getResourceAsStream" -> {
            byte[] b = resources.get((String) args[0]);
            yield b == null ? null : new ByteArrayInputStream(b);
          }
          default -> throw new UnsupportedOperationException(m.getName());
        });
    return (FilterConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FilterConfig.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "getInitParameter" -> params.get((String) args[0]);
          case "getInitParameterNames" -> Collections.enumeration(params.keySet());
          case "getServletContext" -> context;
          case "getFilterName" -> "blnk-auth";
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  private static Map<String, String> params(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("environment", "false");
    m.put("storeFactory", RecordingStoreFactory.class.getName());
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void aWebInfConfigIsReadFromTheWebApplication() throws Exception {
    resources.put("/WEB-INF/blnk.json", CONFIG.getBytes(StandardCharsets.UTF_8));
    FilterSettings s = FilterSettings.fromInitParameters(config(params("config", " /WEB-INF/blnk.json ")));
    try {
      assertThat(s.auth.authenticate(TestServer.MASTER, "").granted()).isTrue();
      assertThat(s.ownedAuth).isSameAs(s.auth);
      assertThat(s.ownedStore).isNotNull();
    } finally {
      s.ownedAuth.close();
    }
  }

  @Test
  void aMissingWebInfConfigMeansTheEnvironmentAlone() {
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(config(params("config", "/WEB-INF/none.json"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("secure mode needs a master key");
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(config(params())))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("secure mode needs a master key");
  }

  @Test
  void withoutAStoreFactoryTheJdbcStoreIsUsed() {
    resources.put("/WEB-INF/blnk.json", CONFIG.getBytes(StandardCharsets.UTF_8));
    Map<String, String> p = params("config", "/WEB-INF/blnk.json");
    p.remove("storeFactory");
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(config(p)))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("BlnkAuthFilter: set init parameter dataSource (a JNDI name) or dataSourceAttribute");
  }

  @Test
  void aStoreFactoryIsFoundWithoutAContextClassLoader() throws Exception {
    resources.put("/WEB-INF/blnk.json", CONFIG.getBytes(StandardCharsets.UTF_8));
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(null);
    FilterSettings s;
    try {
      s = FilterSettings.fromInitParameters(config(params("config", "/WEB-INF/blnk.json")));
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
    s.ownedAuth.close();
    assertThat(RecordingStoreFactory.EVENTS).startsWith("subscribe");
  }

  @Test
  void aBadStoreFactoryIsNamed() {
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(config(params("storeFactory", "java.lang.String"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: storeFactory \"java.lang.String\" must name a public class implementing "
            + KeyStoreFactory.class.getName() + " with a public no-argument constructor");
  }

  @Test
  void aFailureAfterTheStoreIsOpenClosesTheAuthAndTheStore() {
    resources.put("/WEB-INF/blnk.json", CONFIG.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(
            config(params("config", "/WEB-INF/blnk.json", "maxBodyBytes", "lots"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: maxBodyBytes must be a number, was \"lots\"");
    assertThat(RecordingStoreFactory.EVENTS).containsExactly("subscribe", "unsubscribe", "close");
  }

  @Test
  void aFailureBeforeTheAuthIsBuiltClosesTheStore() {
    resources.put("/WEB-INF/blnk.json", CONFIG.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> FilterSettings.fromInitParameters(
            config(params("config", "/WEB-INF/blnk.json", "allowNonExpiringKeys", "sometimes"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: allowNonExpiringKeys must be true or false, was \"sometimes\"");
    assertThat(RecordingStoreFactory.EVENTS).containsExactly("close");
  }

  @Test
  void anEntryWithAnEmptyRouteIsKeptForTheRouteCheck() {
    assertThat(FilterSettings.parseTagTargets("=/meta_data")).isEqualTo(Map.of("", List.of("/meta_data")));
    assertThat(FilterSettings.parseTagTargets(" ; \n ")).isEmpty();
    assertThatThrownBy(() -> FilterSettings.parseTagTargets("/x;/y")).hasMessage(
        "tagTargets entries are route=pointer[,pointer], was \"/x\"");
  }

  @Test
  void booleansAreTrueOrFalseInAnyCase() {
    assertThat(FilterSettings.parseBoolean("console", " TRUE ")).isTrue();
    assertThat(FilterSettings.parseBoolean("console", "False")).isFalse();
    assertThatThrownBy(() -> FilterSettings.parseBoolean("console", "1"))
        .hasMessage("console must be true or false, was \"1\"");
  }

  @Test
  void aLeakReportRevokesTheReportedKeyThroughTheSettings() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair pair = g.generateKeyPair();
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    try (io.blnk.auth.BlnkAuth auth = FilterSettingsTest.auth()) {
      io.blnk.auth.CreatedKey k = auth.keys().create(io.blnk.auth.BlnkPrincipal.master(),
          io.blnk.auth.CreateKeyRequest.builder().name("k").owner("team").scopes("ledgers:read")
              .expiresAt(auth.clock().instant().plus(java.time.Duration.ofDays(1))).build()).orElseThrow();
      FilterSettings s = FilterSettings.of(BlnkAuthFilter.builder(auth)
          .leakResponse("/blnk-auth/leaks", Map.of("k1", pem), io.blnk.auth.LeakAction.REVOKE));
      byte[] body = ("[{\"token\":\"" + k.plaintext().reveal() + "\",\"type\":\"blnk\",\"url\":\"u\",\"source\":\"content\"},"
          + "{\"token\":\"not-ours\",\"type\":\"blnk\"}]").getBytes(StandardCharsets.UTF_8);
      java.security.Signature sig = java.security.Signature.getInstance("SHA256withECDSA");
      sig.initSign(pair.getPrivate());
      sig.update(body);
      Fakes.Request r = new Fakes.Request().path("POST", "/blnk-auth/leaks").body("application/json", body)
          .header(LeakReportEndpoint.KEY_ID_HEADER, "k1")
          .header(LeakReportEndpoint.SIGNATURE_HEADER, java.util.Base64.getEncoder().encodeToString(sig.sign()));
      Fakes.Response out = new Fakes.Response();
      s.leaks.serve(r.build(), out.build());
      assertThat(out.status).isEqualTo(200);
      com.fasterxml.jackson.databind.JsonNode feedback = Json.MAPPER.readTree(out.body.toByteArray());
      assertThat(feedback.get(0).get("label").asText()).isEqualTo("true_positive");
      assertThat(feedback.get(1).get("label").asText()).isEqualTo("false_positive");
      assertThat(auth.authenticate(k.plaintext().reveal(), "").granted()).isFalse();
      assertThat(FilterSettings.of(BlnkAuthFilter.builder(auth)).leaks).isNull();
    }
  }
}
