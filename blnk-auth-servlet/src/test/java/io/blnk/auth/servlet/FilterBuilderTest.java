package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.KeyEventLog;
import io.blnk.auth.LeakAction;
import io.blnk.auth.testing.BuilderOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link BlnkAuthFilter.Builder} sets each option once (each per-segment rule once per key), and
 * {@link BlnkAuthFilter.Builder#build()} snapshots the options, which later use of the builder
 * never reaches.
 */
final class FilterBuilderTest {

  private static String pem() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(g.generateKeyPair().getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static final KeyEventLog NO_EVENTS =
      (key, cursor, limit) -> {
        throw new UnsupportedOperationException();
      };

  @Test
  void everyOptionIsSettableOnceAndEachRuleOncePerKey() throws Exception {
    BuilderOptions.eachIsSettableOnce(
        () -> BlnkAuthFilter.builder(RequestGateTest.AUTH),
        Map.ofEntries(
            Map.entry("publicPaths", List.of(Set.of("/status"))),
            Map.entry("apiBasePath", List.of("/api")),
            Map.entry("route", List.of("mocked-account", "accounts")),
            Map.entry("requestCost", List.of("search", 5L)),
            Map.entry("routeById", List.of("notes", "metadata")),
            Map.entry("idPrefix", List.of("ldg2_", "ledgers")),
            Map.entry("idPrefixes", List.of(Map.of("x_", "ledgers"))),
            Map.entry("tagTargets", List.of("/transactions/bulk", new String[] {"/meta_data"})),
            Map.entry("maxBodyBytes", List.of(1024L)),
            Map.entry("console", List.of(true)),
            Map.entry("consolePath", List.of("/ops/console")),
            Map.entry("refusalDrainBytes", List.of(0L)),
            Map.entry("trustedProxies", List.of(List.of("10.0.0.0/8"))),
            Map.entry("forwardedHeader", List.of("Forwarded")),
            Map.entry("keyEvents", List.of(NO_EVENTS)),
            Map.entry(
                "leakResponse",
                List.of("/blnk-auth/leaks", Map.of("k1", pem()), LeakAction.REVOKE))),
        Map.of(
            "route", "route \"mocked-account\" is already set",
            "requestCost", "requestCost \"search\" is already set",
            "routeById", "routeById \"notes\" is already set",
            "idPrefix", "idPrefix \"ldg2_\" is already set",
            "tagTargets", "tagTargets \"/transactions/bulk\" is already set"));
  }

  @Test
  void theRulesOfOtherKeysAddUp() {
    BlnkAuthFilter.Builder b =
        BlnkAuthFilter.builder(RequestGateTest.AUTH)
            .route("a", "ledgers")
            .route("b", "balances")
            .requestCost("a", 2)
            .requestCost("b", 3)
            .idPrefix("x_", "ledgers")
            .idPrefix("y_", "balances");
    FilterSettings.Options o = b.options();
    assertThat(o.routes()).containsExactly(Map.entry("a", "ledgers"), Map.entry("b", "balances"));
    assertThat(o.costs()).containsExactly(Map.entry("a", 2L), Map.entry("b", 3L));
    assertThat(o.idPrefixes()).containsEntry("x_", "ledgers").containsEntry("y_", "balances");
  }

  @Test
  void idPrefixesMayNotDiscardRulesGivenBefore() {
    BlnkAuthFilter.Builder b = BlnkAuthFilter.builder(RequestGateTest.AUTH).idPrefix("x_", "ledgers");
    assertThatThrownBy(() -> b.idPrefixes(Map.of("y_", "ledgers")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("idPrefixes replaces the whole table: call it before idPrefix, not after");
  }

  @Test
  void aTrustedProxyListedTwiceIsRefused() {
    assertThatThrownBy(
            () ->
                BlnkAuthFilter.builder(RequestGateTest.AUTH)
                    .trustedProxies(List.of("10.0.0.0/8", "192.168.0.1", "10.0.0.0/8")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trustedProxies lists \"10.0.0.0/8\" twice");
  }

  @Test
  void anInvalidValueIsRefusedAtTheSetterNamingTheOptionAndLeavesItUnset() {
    BlnkAuthFilter.Builder b = BlnkAuthFilter.builder(RequestGateTest.AUTH);
    assertThatThrownBy(() -> b.maxBodyBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBodyBytes must be between 1 and 2^31-9, was 0");
    assertThatThrownBy(() -> b.refusalDrainBytes(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refusalDrainBytes must not be negative, was -1");
    assertThatThrownBy(() -> b.requestCost("a", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cost must be at least 1, was 0");
    assertThatThrownBy(() -> b.apiBasePath("api"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiBasePath must start with '/'");
    b.maxBodyBytes(1).refusalDrainBytes(0).requestCost("a", 1).apiBasePath("/api");
    assertThat(b.options().maxBodyBytes()).isEqualTo(1);
  }

  @Test
  void theDefaultsAreWhatTheSettingsHold() {
    BlnkAuthFilter filter = BlnkAuthFilter.builder(RequestGateTest.AUTH).build();
    FilterSettings.Options o = filter.settings().options;
    assertThat(o.auth()).isSameAs(RequestGateTest.AUTH);
    assertThat(o.publicPaths()).containsExactlyInAnyOrder("/", "/health");
    assertThat(o.routes()).isEmpty();
    assertThat(o.costs()).isEmpty();
    assertThat(o.idRoutes()).isEmpty();
    assertThat(o.idPrefixes()).isEqualTo(Routes.defaultIdPrefixes(RequestGateTest.AUTH.registry()));
    assertThat(o.tagTargets()).isEmpty();
    assertThat(o.maxBodyBytes()).isEqualTo(BlnkAuthFilter.DEFAULT_MAX_BODY_BYTES);
    assertThat(o.refusalDrainBytes()).isEqualTo(BlnkAuthFilter.DEFAULT_REFUSAL_DRAIN_BYTES);
    assertThat(o.console()).isFalse();
    assertThat(o.consolePath()).isEqualTo(ConsolePage.DEFAULT_PATH);
    assertThat(o.apiBasePath()).isNull();
    assertThat(o.trustedProxies()).isEmpty();
    assertThat(o.forwardedHeader()).isEqualTo(ClientAddress.Header.X_FORWARDED_FOR);
    assertThat(o.keyEvents()).isNull();
    assertThat(o.leakPath()).isNull();
    assertThat(o.leakKeys()).isEmpty();
    assertThat(o.leakAction()).isEqualTo(LeakAction.REVOKE);
    assertThat(filter.settings().console).isNull();
    assertThat(filter.settings().leaks).isNull();
    assertThat(filter.settings().maxBodyBytes).isEqualTo(BlnkAuthFilter.DEFAULT_MAX_BODY_BYTES);
  }

  @Test
  void everyValueSetIsWhatTheSettingsHold() throws Exception {
    String pem = pem();
    BlnkAuthFilter filter =
        BlnkAuthFilter.builder(RequestGateTest.AUTH)
            .publicPaths(Set.of("/status"))
            .apiBasePath("/api/")
            .route("mocked-account", "accounts")
            .requestCost("search", 5)
            .routeById("notes", "metadata")
            .idPrefixes(Map.of("x_", "ledgers"))
            .tagTargets("/transactions/bulk", "/transactions/*/meta_data")
            .maxBodyBytes(1024)
            .refusalDrainBytes(0)
            .console(true)
            .consolePath("/ops/console")
            .trustedProxies(List.of("10.0.0.0/8"))
            .forwardedHeader("Forwarded")
            .keyEvents(NO_EVENTS)
            .leakResponse("/blnk-auth/leaks", Map.of("k1", pem), LeakAction.DISABLE)
            .build();
    FilterSettings.Options o = filter.settings().options;
    assertThat(o.publicPaths()).containsExactly("/status");
    assertThat(o.apiBasePath()).isEqualTo("/api");
    assertThat(o.routes()).containsExactly(Map.entry("mocked-account", "accounts"));
    assertThat(o.costs()).containsExactly(Map.entry("search", 5L));
    assertThat(o.idRoutes()).containsExactly(Map.entry("notes", "metadata"));
    assertThat(o.idPrefixes()).containsExactly(Map.entry("x_", "ledgers"));
    assertThat(o.tagTargets())
        .containsExactly(Map.entry("/transactions/bulk", List.of("/transactions/*/meta_data")));
    assertThat(o.maxBodyBytes()).isEqualTo(1024);
    assertThat(o.refusalDrainBytes()).isZero();
    assertThat(o.console()).isTrue();
    assertThat(o.consolePath()).isEqualTo("/ops/console");
    assertThat(o.trustedProxies()).extracting(Object::toString).containsExactly("10.0.0.0/8");
    assertThat(o.forwardedHeader()).isEqualTo(ClientAddress.Header.FORWARDED);
    assertThat(o.keyEvents()).isSameAs(NO_EVENTS);
    assertThat(o.leakPath()).isEqualTo("/blnk-auth/leaks");
    assertThat(o.leakKeys()).containsExactly(Map.entry("k1", pem));
    assertThat(o.leakAction()).isEqualTo(LeakAction.DISABLE);
    assertThat(filter.settings().console).isNotNull();
    assertThat(filter.settings().leaks).isNotNull();
  }

  @Test
  void aBuiltFilterIsNotChangedByLaterUseOfItsBuilder() {
    BlnkAuthFilter.Builder b =
        BlnkAuthFilter.builder(RequestGateTest.AUTH).route("a", "ledgers").maxBodyBytes(10);
    BlnkAuthFilter first = b.build();
    assertThatThrownBy(() -> b.maxBodyBytes(20))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxBodyBytes is already set");
    b.route("b", "balances")
        .requestCost("a", 4)
        .idPrefix("z_", "ledgers")
        .tagTargets("/x", "/meta_data")
        .console(true);
    BlnkAuthFilter second = b.build();
    FilterSettings.Options o = first.settings().options;
    assertThat(o.routes()).containsExactly(Map.entry("a", "ledgers"));
    assertThat(o.costs()).isEmpty();
    assertThat(o.idPrefixes()).doesNotContainKey("z_");
    assertThat(o.tagTargets()).isEmpty();
    assertThat(o.console()).isFalse();
    assertThat(first.settings().console).isNull();
    FilterSettings.Options p = second.settings().options;
    assertThat(p.routes()).containsExactly(Map.entry("a", "ledgers"), Map.entry("b", "balances"));
    assertThat(p.costs()).containsExactly(Map.entry("a", 4L));
    assertThat(p.idPrefixes()).containsEntry("z_", "ledgers");
    assertThat(p.console()).isTrue();
    assertThatThrownBy(() -> o.routes().put("c", "ledgers"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
