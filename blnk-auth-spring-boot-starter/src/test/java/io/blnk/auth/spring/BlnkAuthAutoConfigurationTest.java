package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.spring.actuate.BlnkAuthHealthAutoConfiguration;
import io.blnk.auth.spring.actuate.BlnkAuthMetricsAutoConfiguration;
import io.blnk.auth.spring.security.BlnkHttpSecurityCustomizer;
import io.blnk.auth.spring.security.BlnkSecurityAutoConfiguration;
import io.blnk.auth.store.KeyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.Filter;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** Every condition and back-off of the starter's auto-configurations. */
final class BlnkAuthAutoConfigurationTest {

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BlnkAuthAutoConfiguration.class,
                  BlnkSecurityAutoConfiguration.class,
                  BlnkAuthMetricsAutoConfiguration.class,
                  BlnkAuthHealthAutoConfiguration.class))
          .withPropertyValues("blnk.auth.master-key=" + TestApps.MASTER_KEY);

  private final WebApplicationContextRunner withDataSource = web.withUserConfiguration(H2.class);

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return ds;
    }

    @Bean
    KeyHasher fastHasher() {
      return KeyHasher.hmacSha256("context-runner-pepper-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void withoutADataSourceNothingIsConfigured() {
    web.run(c -> {
      assertThat(c).hasNotFailed();
      assertThat(c).doesNotHaveBean(BlnkAuth.class).doesNotHaveBean(KeyStore.class)
          .doesNotHaveBean(BlnkAuthFilter.class);
    });
  }

  @Test
  void disabledByProperty() {
    withDataSource.withPropertyValues("blnk.auth.enabled=false").run(c ->
        assertThat(c).doesNotHaveBean(BlnkAuth.class).doesNotHaveBean(KeyStore.class));
  }

  @Test
  void aDataSourceGivesTheStoreTheLibraryAndTheFilterRegistration() {
    withDataSource.run(c -> {
      assertThat(c).hasSingleBean(JdbcKeyStore.class).hasSingleBean(BlnkAuth.class)
          .hasSingleBean(BlnkAuthFilter.class).hasSingleBean(BlnkRequestGate.class);
      FilterRegistrationBean<?> r =
          c.getBean(BlnkAuthAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
      assertThat(r.getOrder()).isEqualTo(-90);
      assertThat(r.isAsyncSupported()).isTrue();
      assertThat(r.getUrlPatterns()).containsExactly("/*");
      assertThat(r.isEnabled()).isTrue();
      assertThat(c.getBean(BlnkAuth.class).authenticate(TestApps.MASTER_KEY, "").granted()).isTrue();
    });
  }

  @Test
  void theFilterOrderIsAProperty() {
    withDataSource.withPropertyValues("blnk.auth.filter-order=-5000").run(c ->
        assertThat(c.getBean(BlnkAuthAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class)
            .getOrder()).isEqualTo(-5000));
  }

  @Test
  void theFilterBeanItselfIsNotRegisteredASecondTime() {
    withDataSource.run(c -> {
      long enabledForFilterBean =
          c.getBeansOfType(FilterRegistrationBean.class).values().stream()
              .filter(r -> r.getFilter() == c.getBean(BlnkAuthFilter.class))
              .filter(FilterRegistrationBean::isEnabled)
              .count();
      assertThat(enabledForFilterBean).isZero();
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStore {
    @Bean
    KeyStore myStore() {
      return KeyStore.inMemory();
    }
  }

  @Test
  void backsOffForTheApplicationsKeyStore() {
    withDataSource.withUserConfiguration(OwnStore.class).run(c -> {
      assertThat(c).doesNotHaveBean(JdbcKeyStore.class).hasSingleBean(KeyStore.class)
          .hasSingleBean(BlnkAuth.class);
      assertThat(c).hasBean("myStore");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnAuth {
    @Bean(destroyMethod = "close")
    BlnkAuth myAuth() {
      return BlnkAuth.builder().store(KeyStore.inMemory()).secure(false).build();
    }
  }

  @Test
  void backsOffForTheApplicationsBlnkAuth() {
    withDataSource.withUserConfiguration(OwnAuth.class).run(c -> {
      assertThat(c).hasSingleBean(BlnkAuth.class).hasBean("myAuth");
      assertThat(c.getBean(BlnkAuth.class).secure()).isFalse();
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnFilter {
    @Bean
    BlnkAuthFilter myFilter(BlnkAuth auth) {
      return BlnkAuthFilter.builder(auth).build();
    }
  }

  @Test
  void backsOffForTheApplicationsFilter() {
    withDataSource.withUserConfiguration(OwnFilter.class).run(c -> {
      assertThat(c).hasSingleBean(BlnkAuthFilter.class).hasBean("myFilter");
      assertThat(c.getBean(BlnkRequestGate.class).filter()).isSameAs(c.getBean("myFilter"));
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean(name = BlnkAuthAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME)
    FilterRegistrationBean<Filter> mine() {
      FilterRegistrationBean<Filter> r = new FilterRegistrationBean<>((req, res, chain) -> chain.doFilter(req, res));
      r.setOrder(42);
      return r;
    }
  }

  @Test
  void backsOffForTheApplicationsRegistration() {
    withDataSource.withUserConfiguration(OwnRegistration.class).run(c ->
        assertThat(c.getBean(BlnkAuthAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class)
            .getOrder()).isEqualTo(42));
  }

  @Test
  void backsOffForTheApplicationsHasher() {
    withDataSource.run(c -> assertThat(c).hasSingleBean(KeyHasher.class).hasBean("fastHasher"));
  }

  @Test
  void outsideAWebApplicationThereIsNoFilter() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BlnkAuthAutoConfiguration.class))
        .withUserConfiguration(H2.class)
        .withPropertyValues("blnk.auth.master-key=" + TestApps.MASTER_KEY)
        .run(c -> assertThat(c).hasSingleBean(BlnkAuth.class).doesNotHaveBean(BlnkAuthFilter.class)
            .doesNotHaveBean(BlnkRequestGate.class));
  }

  @Test
  void aWeakMasterKeyFailsStartUpWithAnAnalysisSayingHowToGenerateOne() {
    web.withUserConfiguration(H2.class).withPropertyValues("blnk.auth.master-key=short").run(c -> {
      assertThat(c).hasFailed();
      Throwable failure = c.getStartupFailure();
      MasterKeyException cause = findCause(failure);
      assertThat(cause).isNotNull();
      assertThat(cause.getMessage()).contains("too short").doesNotContain("=short");
      FailureAnalysis analysis = new MasterKeyFailureAnalyzer().analyze(failure);
      assertThat(analysis).isNotNull();
      assertThat(analysis.getAction()).contains("openssl rand -base64 48").contains("blnk.auth.master-key");
      assertThat(analysis.getDescription()).contains("too short");
    });
  }

  @Test
  void aMissingMasterKeyFailsStartUp() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BlnkAuthAutoConfiguration.class))
        .withUserConfiguration(H2.class)
        .withPropertyValues("blnk.auth.use-blnk-environment=false", "blnk.auth.config-file=does-not-exist.json")
        .run(c -> {
          assertThat(c).hasFailed();
          assertThat(findCause(c.getStartupFailure()).getMessage()).contains("no master key");
        });
  }

  @Test
  void secureModeOffNeedsNoKey() {
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BlnkAuthAutoConfiguration.class))
        .withUserConfiguration(H2.class)
        .withPropertyValues("blnk.auth.secure=false", "blnk.auth.use-blnk-environment=false")
        .run(c -> assertThat(c.getBean(BlnkAuth.class).secure()).isFalse());
  }

  private static MasterKeyException findCause(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof MasterKeyException m) {
        return m;
      }
    }
    return null;
  }

  // --- Spring Security bridge ---

  private final WebApplicationContextRunner secured =
      withDataSource.withConfiguration(
          AutoConfigurations.of(SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

  @Test
  void withSpringSecurityTheCustomizerAndADefaultChainAreThere() {
    secured.run(c -> {
      assertThat(c).hasSingleBean(BlnkHttpSecurityCustomizer.class).hasSingleBean(SecurityFilterChain.class);
      assertThat(c).hasBean("blnkSecurityFilterChain");
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnChain {
    @Bean
    SecurityFilterChain mine(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).build();
    }
  }

  @Test
  void theDefaultChainBacksOffForTheApplicationsChainButTheCustomizerStays() {
    secured.withUserConfiguration(OwnChain.class).run(c -> {
      assertThat(c).hasSingleBean(SecurityFilterChain.class).doesNotHaveBean("blnkSecurityFilterChain");
      assertThat(c).hasSingleBean(BlnkHttpSecurityCustomizer.class);
      assertThat(c.getBean(SecurityFilterChain.class).getFilters())
          .anyMatch(f -> f.getClass().getSimpleName().equals("BlnkSecurityFilter"));
    });
  }

  @Test
  void withoutSpringSecurityThereIsNoBridge() {
    withDataSource.withClassLoader(new FilteredClassLoader(HttpSecurity.class)).run(c -> {
      assertThat(c).hasSingleBean(BlnkAuth.class).doesNotHaveBean(BlnkHttpSecurityCustomizer.class);
    });
  }

  // --- Micrometer and Actuator ---

  @Configuration(proxyBeanMethods = false)
  static class Meters {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void withAMeterRegistryTheMetersAreThere() {
    withDataSource.withUserConfiguration(Meters.class).run(c -> {
      assertThat(c).hasBean("blnkAuthMeters").hasBean("blnkAuthMetricsCustomizer");
      assertThat(c.getBean(BlnkRequestGate.class).toString()).isNotEmpty();
    });
  }

  @Test
  void withoutMicrometerThereAreNoMeters() {
    withDataSource.withUserConfiguration(Meters.class)
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(c -> assertThat(c).hasSingleBean(BlnkAuth.class).doesNotHaveBean("blnkAuthMeters"));
  }

  @Test
  void withoutAMeterRegistryBeanThereAreNoMeters() {
    withDataSource.run(c -> assertThat(c).doesNotHaveBean("blnkAuthMeters"));
  }

  @Test
  void theHealthIndicatorIsThereUnlessDisabled() {
    withDataSource.run(c -> assertThat(c).hasBean("blnkAuthHealthIndicator").hasSingleBean(HealthIndicator.class));
    withDataSource.withPropertyValues("management.health.blnkauth.enabled=false")
        .run(c -> assertThat(c).doesNotHaveBean("blnkAuthHealthIndicator"));
    withDataSource.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(c -> assertThat(c).doesNotHaveBean("blnkAuthHealthIndicator"));
  }

  @Test
  void theHealthIndicatorBacksOff() {
    withDataSource.withBean("blnkAuthHealthIndicator", HealthIndicator.class,
            () -> () -> org.springframework.boot.health.contributor.Health.up().build())
        .run(c -> assertThat(c).hasSingleBean(HealthIndicator.class));
  }

  /** Keeps the imports of result types honest. */
  static boolean granted(AuthResult r) {
    return r.granted();
  }
}
