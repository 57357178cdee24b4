package io.blnk.auth.spring.actuate;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.spring.BlnkAuthAutoConfiguration;
import io.blnk.auth.store.KeyStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code blnkAuth} health indicator, when Spring Boot's health support is present; off with
 * {@code management.health.blnkauth.enabled=false}.
 *
 * <p>Instantiated by Spring, which calls each bean method once at start-up; not meant to be
 * called by applications.
 */
@AutoConfiguration(after = BlnkAuthAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(KeyStore.class)
@ConditionalOnEnabledHealthIndicator("blnkauth")
public final class BlnkAuthHealthAutoConfiguration {

  /** Reported as {@code blnkAuth}; reports the store circuit when a {@link BlnkAuth} exists. */
  @Bean
  @ConditionalOnMissingBean(name = "blnkAuthHealthIndicator")
  HealthIndicator blnkAuthHealthIndicator(KeyStore store, ObjectProvider<BlnkAuth> auth) {
    return new BlnkAuthHealthIndicator(store, auth.getIfUnique());
  }
}
