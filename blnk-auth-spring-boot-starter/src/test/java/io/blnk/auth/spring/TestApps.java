package io.blnk.auth.spring;

import io.blnk.auth.key.KeyHasher;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/** The applications the HTTP tests start. */
final class TestApps {

  static final String MASTER_KEY = "test-master-key-0123456789-abcdefghijklmnopqrstuvwxyz";

  /** Spring Security's auto-configurations, excluded where a test runs without it. */
  static final String WITHOUT_SECURITY =
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
          + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
          + "io.blnk.auth.spring.security.BlnkSecurityAutoConfiguration";

  private TestApps() {}

  /** A fast hasher and a movable clock. */
  @Configuration(proxyBeanMethods = false)
  static class TestBeans {
    @Bean
    KeyHasher testHasher() {
      return KeyHasher.hmacSha256("test-pepper-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8));
    }

    @Bean
    MutableClock testClock() {
      return new MutableClock();
    }

    @Bean
    BlnkAuthBuilderCustomizer testClockCustomizer(MutableClock clock) {
      return b -> b.clock(clock);
    }
  }

  /** The ledger routes, no Spring Security annotations. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({LedgerController.class, TestBeans.class})
  static class Plain {}

  /** The ledger routes plus {@code @PreAuthorize} and {@code @AuthenticationPrincipal}. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableMethodSecurity
  @Import({LedgerController.class, SecuredController.class, TestBeans.class})
  static class Secured {}

  /** The secured application on a data source that can fail, with Actuator's metrics exposed. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableMethodSecurity
  @Import({LedgerController.class, SecuredController.class, TestBeans.class})
  static class Actuated {
    @Bean
    SwitchableDataSource dataSource() {
      return new SwitchableDataSource();
    }
  }
}
