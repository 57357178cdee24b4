package io.blnk.auth.spring.actuate;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.spring.BlnkAuthAutoConfiguration;
import io.blnk.auth.spring.BlnkAuthBuilderCustomizer;
import io.blnk.auth.store.KeyStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of blnk-auth, when Micrometer and a {@link MeterRegistry} are present: the
 * decision counter {@code blnk.auth.decisions}, the hash verification timer {@code
 * blnk.auth.hash.verifications}, the store failure counter {@code blnk.auth.store.failures}, the
 * circuit gauge {@code blnk.auth.store.circuit.state}, the counter {@code
 * blnk.auth.store.calls.refused}, the cache meters {@code blnk.auth.cache.size}, {@code
 * blnk.auth.cache.hits} and {@code blnk.auth.cache.misses}, and the feed lag {@code
 * blnk.auth.feed.lag}.
 *
 * <p>Instantiated by Spring, which calls each bean method once at start-up; not meant to be
 * called by applications.
 */
@AutoConfiguration(
    after = BlnkAuthAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, BlnkAuth.class})
public final class BlnkAuthMetricsAutoConfiguration {

  /** Counts decisions; also an {@code AuthListener} (for refusal codes) and a decision observer. */
  @Bean
  @ConditionalOnMissingBean
  BlnkAuthMeters blnkAuthMeters(MeterRegistry registry, ResourceRegistry resources) {
    return new BlnkAuthMeters(registry, resources);
  }

  /**
   * The store circuit's state gauge and refused-calls counter, the cache gauges and counters, and
   * the JDBC store's feed lag, bound by Spring Boot.
   */
  @Bean
  @ConditionalOnMissingBean
  BlnkAuthStoreMeters blnkAuthStoreMeters(BlnkAuth auth, ObjectProvider<JdbcKeyStore> store) {
    return new BlnkAuthStoreMeters(auth, store.getIfUnique());
  }

  /** Times the hasher and counts the store's failures. */
  @Bean
  BlnkAuthBuilderCustomizer blnkAuthMetricsCustomizer(
      MeterRegistry registry, KeyStore store, KeyHasher hasher) {
    return b -> {
      b.hasher(new TimedKeyHasher(hasher, registry));
      b.store(new MeteredKeyStore(store, registry));
    };
  }
}
