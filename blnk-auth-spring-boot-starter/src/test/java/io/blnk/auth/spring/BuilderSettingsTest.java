package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.servlet.BlnkAuthFilter;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Each value property reaches its builder option: an out-of-range value fails start-up with the
 * builder's own message (so the property is applied, not merely bound), a valid one starts. And
 * {@code blnk.auth.accept-blnk-core-keys} picks the bcrypt-capable hasher, or fails start-up
 * clearly without bcrypt.
 */
final class BuilderSettingsTest {

  /** A data source only: the starter's own hasher bean is used. */
  @Configuration(proxyBeanMethods = false)
  static class H2Only {
    @Bean
    DataSource dataSource() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return ds;
    }
  }

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BlnkAuthAutoConfiguration.class))
          .withUserConfiguration(H2Only.class)
          .withPropertyValues("blnk.auth.master-key=" + TestApps.MASTER_KEY);

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "blnk.auth.cache.proof-ttl          | 0s    | proofTtl",
        "blnk.auth.verification.share       | 1.5   | share must be in (0, 1]",
        "blnk.auth.verification.share       | 0     | share must be in (0, 1]",
        "blnk.auth.max-active-keys-per-owner| 0     | maxActiveKeysPerOwner must be at least 1",
        "blnk.auth.max-key-lifetime         | 0s    | maxKeyLifetime must be positive",
        "blnk.auth.store.timeout            | 0s    | timeout",
        "blnk.auth.store.retry-after        | -1s   | retryAfter",
        "blnk.auth.store.max-in-flight      | 0     | maxInFlight must be at least 1",
        "blnk.auth.aggregate-refusals       | -1s   | interval must not be negative",
        "blnk.auth.jdbc.statement-timeout   | 0s    | statementTimeout must be positive",
        "blnk.auth.jdbc.catch-up-interval   | 0s    | catchUpInterval must be positive",
        "blnk.auth.refusal-drain-bytes      | -1B   | refusalDrainBytes must not be negative",
        "blnk.auth.console.path             | /api-keys/console | console",
        "blnk.auth.api-base-path            | /a/../b | apiBasePath has an invalid segment",
        "blnk.auth.id-prefixes[inv_]        | no-such-resource | no-such-resource",
        "blnk.auth.trusted-proxies          | 10.0.0.1/8 | host bits are set",
        "blnk.auth.forwarded-header         | X-Real-IP | X-Real-IP",
        "blnk.auth.max-key-lifetime         | 0s    | maxKeyLifetime",
        "blnk.auth.leak-response.enabled    | true  | at least one GitHub public key",
      })
  void anOutOfRangeValueFailsStartUpInItsBuilder(String property, String value, String message) {
    runner.withPropertyValues(property + "=" + value).run(c -> {
      assertThat(c).hasFailed();
      assertThat(messages(c.getStartupFailure())).contains(message);
    });
  }

  @Test
  void validValuesStart() {
    runner
        .withPropertyValues(
            "blnk.auth.cache.proof-ttl=1h",
            "blnk.auth.verification.share=1",
            "blnk.auth.max-active-keys-per-owner=5",
            "blnk.auth.max-key-lifetime=90d",
            "blnk.auth.store.timeout=500ms",
            "blnk.auth.store.retry-after=5s",
            "blnk.auth.store.max-in-flight=8",
            "blnk.auth.aggregate-refusals=0s",
            "blnk.auth.jdbc.statement-timeout=3s",
            "blnk.auth.jdbc.catch-up-interval=1s",
            "blnk.auth.refusal-drain-bytes=0B",
            "blnk.auth.console.enabled=true",
            "blnk.auth.console.path=/ops/console",
            "blnk.auth.api-base-path=/api",
            "blnk.auth.id-prefixes[inv_]=ledgers",
            "blnk.auth.tag-targets[/ledgers]=/meta_data,/extra/meta",
            "blnk.auth.trusted-proxies=10.0.0.0/8,2001:db8::/32",
            "blnk.auth.forwarded-header=Forwarded",
            "blnk.auth.max-key-lifetime=90d",
            "blnk.auth.leak-response.enabled=true",
            "blnk.auth.leak-response.action=disable",
            "blnk.auth.leak-response.public-keys[gh1]=" + GITHUB_SAMPLE_PEM)
        .run(c -> {
          assertThat(c).hasNotFailed();
          assertThat(c).hasSingleBean(BlnkAuth.class).hasSingleBean(BlnkAuthFilter.class);
        });
  }

  /** The partner programme documentation's test key. */
  static final String GITHUB_SAMPLE_PEM =
      "-----BEGIN PUBLIC KEY-----\n"
          + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsz9ugWDj5jK5ELBK42ynytbo38gP\n"
          + "HzZFI03Exwz8Lh/tCfL3YxwMdLjB+bMznsanlhK0RwcGP3IDb34kQDIo3Q==\n"
          + "-----END PUBLIC KEY-----\n";

  @Test
  void aMalformedLeakResponseKeyFailsStartUpNamingIt() {
    runner
        .withPropertyValues(
            "blnk.auth.leak-response.enabled=true", "blnk.auth.leak-response.public-keys[gh1]=not a key")
        .run(c -> {
          assertThat(c).hasFailed();
          assertThat(messages(c.getStartupFailure())).contains("gh1");
        });
  }

  @Test
  void aMalformedTagTargetFailsStartUp() {
    runner.withPropertyValues("blnk.auth.tag-targets[/ledgers]=meta_data").run(c ->
        assertThat(c).hasFailed());
  }

  @Test
  void acceptingBlnkCoreKeysPicksTheBcryptHasher() {
    runner.run(c -> assertThat(c.getBean(KeyHasher.class).toString()).doesNotContain("BlnkCoreHasher"));
    runner.withPropertyValues("blnk.auth.accept-blnk-core-keys=true").run(c -> {
      assertThat(c).hasNotFailed();
      assertThat(c.getBean(KeyHasher.class).toString()).startsWith("BlnkCoreHasher[bcrypt -> ");
    });
  }

  @Test
  void acceptingBlnkCoreKeysWithoutBcryptFailsStartUpSayingWhatToAdd() {
    runner
        .withClassLoader(new FilteredClassLoader("org.springframework.security.crypto.bcrypt"))
        .withPropertyValues("blnk.auth.accept-blnk-core-keys=true")
        .run(c -> {
          assertThat(c).hasFailed();
          assertThat(messages(c.getStartupFailure()))
              .contains("blnk.auth.accept-blnk-core-keys=true needs bcrypt")
              .contains("org.springframework.security:spring-security-crypto");
        });
  }

  @Test
  void anApplicationHasherThatCannotVerifyBcryptIsRefusedByTheLibrary() {
    runner
        .withBean(KeyHasher.class, KeyHasher::argon2id)
        .withPropertyValues("blnk.auth.accept-blnk-core-keys=true")
        .run(c -> assertThat(c).hasFailed());
  }

  private static String messages(Throwable t) {
    StringBuilder s = new StringBuilder();
    for (Throwable e = t; e != null; e = e.getCause()) {
      s.append(e.getMessage()).append('\n');
    }
    return s.toString();
  }
}
