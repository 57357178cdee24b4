package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.servlet.BlnkAuthFilter;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The generated configuration metadata is present, documents every property, and covers every
 * setting of the builders: a builder method without a property (or a documented bean) fails here.
 */
final class ConfigurationMetadataTest {

  /** Builder method → the properties that set it, or {@code bean:...} for settings given as beans. */
  static final Map<String, List<String>> SETTINGS = new HashMap<>();

  static {
    // BlnkAuth.Builder
    SETTINGS.put("BlnkAuth.secure", List.of("blnk.auth.secure"));
    SETTINGS.put("BlnkAuth.masterKey", List.of("blnk.auth.master-key"));
    SETTINGS.put("BlnkAuth.previousMasterKeys", List.of("blnk.auth.previous-master-keys"));
    SETTINGS.put("BlnkAuth.store", List.of("bean:KeyStore (default: JdbcKeyStore on the DataSource)"));
    SETTINGS.put("BlnkAuth.hasher", List.of("bean:KeyHasher"));
    SETTINGS.put("BlnkAuth.keyPrefix", List.of("blnk.auth.key-prefix"));
    SETTINGS.put("BlnkAuth.registry", List.of("blnk.auth.resources", "blnk.auth.master-only-resources"));
    SETTINGS.put("BlnkAuth.clock", List.of("bean:BlnkAuthBuilderCustomizer"));
    SETTINGS.put("BlnkAuth.random", List.of("bean:BlnkAuthBuilderCustomizer"));
    SETTINGS.put("BlnkAuth.listener", List.of("bean:AuthListener"));
    SETTINGS.put("BlnkAuth.cacheTtl", List.of("blnk.auth.cache.ttl"));
    SETTINGS.put("BlnkAuth.cacheMaximumSize", List.of("blnk.auth.cache.maximum-size"));
    SETTINGS.put("BlnkAuth.negativeCacheTtl", List.of("blnk.auth.cache.negative-ttl"));
    SETTINGS.put("BlnkAuth.failureThrottle", List.of("blnk.auth.throttle.max-failures", "blnk.auth.throttle.window"));
    SETTINGS.put("BlnkAuth.verificationLimit", List.of("blnk.auth.verification.concurrency", "blnk.auth.verification.wait"));
    SETTINGS.put("BlnkAuth.lastUsedInterval", List.of("blnk.auth.last-used-interval"));
    SETTINGS.put("BlnkAuth.allowNonExpiringKeys", List.of("blnk.auth.allow-non-expiring-keys"));
    SETTINGS.put("BlnkAuth.rotationGrace", List.of("blnk.auth.rotation.grace", "blnk.auth.rotation.max-grace"));
    SETTINGS.put("BlnkAuth.proofTtl", List.of("blnk.auth.cache.proof-ttl"));
    SETTINGS.put("BlnkAuth.verificationShare", List.of("blnk.auth.verification.share"));
    SETTINGS.put("BlnkAuth.maxActiveKeysPerOwner", List.of("blnk.auth.max-active-keys-per-owner"));
    SETTINGS.put("BlnkAuth.maxKeyLifetime", List.of("blnk.auth.max-key-lifetime"));
    SETTINGS.put("BlnkAuth.storeTimeouts", List.of("blnk.auth.store.timeout", "blnk.auth.store.retry-after", "blnk.auth.store.max-in-flight"));
    SETTINGS.put("BlnkAuth.aggregateRefusals", List.of("blnk.auth.aggregate-refusals"));
    SETTINGS.put("BlnkAuth.acceptBlnkCoreKeys", List.of("blnk.auth.accept-blnk-core-keys"));
    SETTINGS.put(
        "BlnkAuth.usage",
        List.of(
            "blnk.auth.usage.mode",
            "blnk.auth.usage.owner-limit",
            "blnk.auth.usage.owner-limit-period",
            "blnk.auth.usage.owner-limit-name",
            "blnk.auth.usage.max-lease",
            "blnk.auth.usage.exhausted-recheck"));
    SETTINGS.put("BlnkAuth.maxKeyLifetime", List.of("blnk.auth.max-key-lifetime"));
    // BlnkAuthFilter.Builder
    SETTINGS.put("BlnkAuthFilter.requestCost", List.of("blnk.auth.request-costs"));
    SETTINGS.put("BlnkAuthFilter.publicPaths", List.of("blnk.auth.public-paths"));
    SETTINGS.put("BlnkAuthFilter.route", List.of("blnk.auth.routes"));
    SETTINGS.put("BlnkAuthFilter.routeById", List.of("blnk.auth.id-routes"));
    SETTINGS.put("BlnkAuthFilter.maxBodyBytes", List.of("blnk.auth.max-body-bytes"));
    SETTINGS.put("BlnkAuthFilter.apiBasePath", List.of("blnk.auth.api-base-path"));
    SETTINGS.put("BlnkAuthFilter.idPrefix", List.of("blnk.auth.id-prefixes"));
    SETTINGS.put("BlnkAuthFilter.idPrefixes", List.of("blnk.auth.id-prefixes", "bean:BlnkAuthFilter (to replace the whole table)"));
    SETTINGS.put("BlnkAuthFilter.tagTargets", List.of("blnk.auth.tag-targets"));
    SETTINGS.put("BlnkAuthFilter.refusalDrainBytes", List.of("blnk.auth.refusal-drain-bytes"));
    SETTINGS.put("BlnkAuthFilter.console", List.of("blnk.auth.console.enabled"));
    SETTINGS.put("BlnkAuthFilter.consolePath", List.of("blnk.auth.console.path"));
    SETTINGS.put("BlnkAuthFilter.trustedProxies", List.of("blnk.auth.trusted-proxies"));
    SETTINGS.put("BlnkAuthFilter.forwardedHeader", List.of("blnk.auth.forwarded-header"));
    SETTINGS.put("BlnkAuthFilter.keyEvents", List.of("bean:KeyEventLog (e.g. a JdbcAuditListener)"));
    SETTINGS.put(
        "BlnkAuthFilter.leakResponse",
        List.of(
            "blnk.auth.leak-response.enabled",
            "blnk.auth.leak-response.path",
            "blnk.auth.leak-response.public-keys",
            "blnk.auth.leak-response.action"));
    // JdbcKeyStore.Builder
    SETTINGS.put("JdbcKeyStore.tableName", List.of("blnk.auth.jdbc.table-name"));
    SETTINGS.put("JdbcKeyStore.pollInterval", List.of("blnk.auth.jdbc.poll-interval"));
    SETTINGS.put("JdbcKeyStore.migrate", List.of("blnk.auth.jdbc.migrate"));
    SETTINGS.put("JdbcKeyStore.statementTimeout", List.of("blnk.auth.jdbc.statement-timeout"));
    SETTINGS.put("JdbcKeyStore.catchUpInterval", List.of("blnk.auth.jdbc.catch-up-interval"));
    SETTINGS.put("JdbcKeyStore.dialect", List.of("bean:KeyStore (detected from the DataSource)"));
  }

  private static JsonNode metadata() throws Exception {
    try (InputStream in =
        ConfigurationMetadataTest.class.getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata on the class path").isNotNull();
      return Http.JSON.readTree(in);
    }
  }

  private static Set<String> properties() throws Exception {
    Set<String> names = new TreeSet<>();
    for (JsonNode p : metadata().path("properties")) {
      names.add(p.path("name").asText());
    }
    return names;
  }

  @Test
  void everyBuilderSettingHasAPropertyOrABean() throws Exception {
    Set<String> names = properties();
    Set<String> unmapped = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    for (Class<?> builder :
        List.of(BlnkAuth.Builder.class, BlnkAuthFilter.Builder.class, JdbcKeyStore.Builder.class)) {
      String owner = builder.getDeclaringClass().getSimpleName();
      for (Method m : builder.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers())
            || Modifier.isStatic(m.getModifiers())
            || m.getName().equals("build")) {
          continue;
        }
        List<String> props = SETTINGS.get(owner + "." + m.getName());
        if (props == null) {
          unmapped.add(owner + ".Builder." + m.getName());
          continue;
        }
        for (String p : props) {
          if (!p.startsWith("bean:") && !names.contains(p)) {
            missing.add(p);
          }
        }
      }
    }
    assertThat(unmapped).as("builder settings without a blnk.auth property").isEmpty();
    assertThat(missing).as("properties missing from the metadata").isEmpty();
  }

  @Test
  void everyPropertyIsDocumentedWithAType() throws Exception {
    for (JsonNode p : metadata().path("properties")) {
      assertThat(p.path("description").asText()).as(p.path("name").asText()).isNotBlank();
      assertThat(p.path("type").asText()).as(p.path("name").asText()).isNotBlank();
    }
  }

  @Test
  void theMetadataHoldsTheStartersSettings() throws Exception {
    assertThat(properties())
        .contains(
            "blnk.auth.enabled",
            "blnk.auth.master-key",
            "blnk.auth.config-file",
            "blnk.auth.use-blnk-environment",
            "blnk.auth.filter-order",
            "blnk.auth.management.public-endpoints",
            "blnk.auth.tag-targets");
  }
}
