package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.testing.BuilderOptions;
import io.blnk.auth.usage.UsageSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link BlnkAuth.Builder} sets each option once, and {@link BlnkAuth.Builder#build()} snapshots
 * the options into the instance's {@link AuthSettings}, which later use of the builder never
 * reaches.
 */
final class AuthSettingsTest {

  private static final KeyHasher HMAC = KeyHasher.hmacSha256(new byte[32]);

  /** Valid arguments for every public setter of the builder. */
  static Map<String, List<Object>> arguments() {
    Duration second = Duration.ofSeconds(1);
    return Map.ofEntries(
        Map.entry("usage", List.of(UsageSettings.defaults())),
        Map.entry("secure", List.of(false)),
        Map.entry("masterKey", List.of(Fixture.MASTER)),
        Map.entry("previousMasterKeys", List.of(List.of(Fixture.PREVIOUS_MASTER))),
        Map.entry("store", List.of(KeyStore.inMemory())),
        Map.entry("hasher", List.of(HMAC)),
        Map.entry("keyPrefix", List.of("acme")),
        Map.entry("registry", List.of(ResourceRegistry.blnkDefaults())),
        Map.entry("clock", List.of(InstantSource.system())),
        Map.entry("random", List.of(new SecureRandom())),
        Map.entry("listener", List.of(AuthListener.none())),
        Map.entry("aggregateRefusals", List.of(second)),
        Map.entry("cacheTtl", List.of(second)),
        Map.entry("proofTtl", List.of(second)),
        Map.entry("cacheMaximumSize", List.of(5L)),
        Map.entry("negativeCacheTtl", List.of(second)),
        Map.entry("failureThrottle", List.of(3, second)),
        Map.entry("verificationLimit", List.of(3, second)),
        Map.entry("verificationShare", List.of(0.25)),
        Map.entry("lastUsedInterval", List.of(second)),
        Map.entry("allowNonExpiringKeys", List.of(true)),
        Map.entry("rotationGrace", List.of(second, second)),
        Map.entry("maxActiveKeysPerOwner", List.of(7)),
        Map.entry("storeTimeouts", List.of(second, second, 3)),
        Map.entry("acceptBlnkCoreKeys", List.of(true)),
        Map.entry("maxKeyLifetime", List.of(second)));
  }

  @Test
  void everyOptionIsSettableOnceAndASecondCallNamesIt() {
    BuilderOptions.eachIsSettableOnce(BlnkAuth::builder, arguments(), Map.of());
  }

  @Test
  void anInvalidValueIsRefusedAtTheSetterAndLeavesTheOptionUnset() {
    BlnkAuth.Builder b = BlnkAuth.builder();
    assertThatThrownBy(() -> b.cacheTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheTtl must be positive, was PT0S");
    assertThatThrownBy(() -> b.cacheMaximumSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheMaximumSize must be at least 1, was 0");
    assertThatThrownBy(() -> b.keyPrefix("Not A Prefix"))
        .isInstanceOf(IllegalArgumentException.class);
    b.cacheTtl(Duration.ofSeconds(5)).cacheMaximumSize(9).keyPrefix("acme");
    assertThatThrownBy(() -> b.cacheTtl(Duration.ofSeconds(6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cacheTtl is already set");
  }

  @Test
  void theDefaultsAreWhatTheSettingsReport() {
    KeyStore store = KeyStore.inMemory();
    try (BlnkAuth auth = BlnkAuth.builder().store(store).masterKey(Fixture.MASTER).build()) {
      AuthSettings s = auth.settings();
      assertThat(s.secure()).isTrue();
      assertThat(s.hasMasterKey()).isTrue();
      assertThat(s.previousMasterKeyCount()).isZero();
      assertThat(s.store()).isSameAs(store);
      assertThat(s.hasher()).hasToString("Argon2id[m=19456,t=2,p=1]");
      assertThat(s.keyFormat().prefix()).isEqualTo(KeyFormat.blnk().prefix());
      assertThat(s.registry()).isSameAs(ResourceRegistry.blnkDefaults());
      assertThat(s.clock()).isEqualTo(InstantSource.system());
      assertThat(s.random()).isNotNull();
      assertThat(s.listener()).isNotNull();
      assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
      assertThat(s.proofTtl()).isEqualTo(Duration.ofHours(24));
      assertThat(s.cacheMaximumSize()).isEqualTo(100_000);
      assertThat(s.negativeCacheTtl()).isEqualTo(Duration.ofSeconds(10));
      assertThat(s.maxFailures()).isEqualTo(10);
      assertThat(s.failureWindow()).isEqualTo(Duration.ofMinutes(1));
      assertThat(s.maxConcurrentVerifications())
          .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
      assertThat(s.verificationWait()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.verificationShare()).isEqualTo(0.5);
      assertThat(s.lastUsedInterval()).isEqualTo(Duration.ofSeconds(60));
      assertThat(s.allowNonExpiringKeys()).isFalse();
      assertThat(s.rotationGrace()).isEqualTo(Duration.ofHours(24));
      assertThat(s.maxRotationGrace()).isEqualTo(Duration.ofDays(7));
      assertThat(s.maxActiveKeysPerOwner()).isEqualTo(1_000);
      assertThat(s.storeTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.storeRetryAfter()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.maxStoreCallsInFlight()).isEqualTo(64);
      assertThat(s.refusalAggregation()).isEqualTo(Duration.ofSeconds(10));
      assertThat(s.acceptBlnkCoreKeys()).isFalse();
      assertThat(s.maxKeyLifetime()).isEmpty();
      assertThat(s.usage()).isSameAs(UsageSettings.defaults());
      assertThat(s.ticker()).isSameAs(com.github.benmanes.caffeine.cache.Ticker.systemTicker());
      // the instance's own accessors read the same settings
      assertThat(auth.secure()).isTrue();
      assertThat(auth.registry()).isSameAs(s.registry());
      assertThat(auth.clock()).isSameAs(s.clock());
      assertThat(auth.usageSettings()).isSameAs(s.usage());
    }
  }

  @Test
  void theSmallestAllowedValuesAreAccepted() {
    try (BlnkAuth auth =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .hasher(HMAC)
            .masterKey(Fixture.MASTER)
            .cacheMaximumSize(1)
            .failureThrottle(1, Duration.ofNanos(1))
            .verificationShare(1.0)
            .verificationLimit(1, Duration.ofSeconds(1))
            .maxActiveKeysPerOwner(1)
            .storeTimeouts(Duration.ofNanos(1), Duration.ofNanos(1), 1)
            .build()) {
      AuthSettings s = auth.settings();
      assertThat(s.cacheMaximumSize()).isEqualTo(1);
      assertThat(s.maxFailures()).isEqualTo(1);
      assertThat(s.failureWindow()).isEqualTo(Duration.ofNanos(1));
      assertThat(s.verificationShare()).isEqualTo(1.0);
      assertThat(s.maxConcurrentVerifications()).isEqualTo(1);
      assertThat(s.maxActiveKeysPerOwner()).isEqualTo(1);
      assertThat(s.maxStoreCallsInFlight()).isEqualTo(1);
      assertThat(s.storeTimeout()).isEqualTo(Duration.ofNanos(1));
    }
  }

  @Test
  void anInstancePrintsItsModeAndKeyFormatOnly() {
    try (BlnkAuth auth =
        BlnkAuth.builder().store(KeyStore.inMemory()).hasher(HMAC).masterKey(Fixture.MASTER).keyPrefix("acme").build()) {
      assertThat(auth).hasToString("BlnkAuth[secure=true, format=acme]");
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().equals("blnk-auth-maintenance"))
          .isNotEmpty()
          .allMatch(Thread::isDaemon);
    }
  }

  @Test
  void theMonotonicTickerCountsNanosecondsOfTheClockAndNeverGoesBack() {
    MutableClock clock = new MutableClock(Fixture.T0);
    MonotonicTicker ticker = new MonotonicTicker(clock);
    long start = ticker.read();

    clock.advance(Duration.ofMillis(1500));
    assertThat(ticker.read() - start).isEqualTo(1_500_000_000L);
    clock.set(Fixture.T0);
    assertThat(ticker.read() - start).isEqualTo(1_500_000_000L);
  }

  @Test
  void aShareOfNothingIsRefused() {
    assertThatThrownBy(() -> BlnkAuth.builder().verificationShare(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("share must be in (0, 1], was 0.0");
  }

  @Test
  void aTestTickerIsSetOnce() {
    BlnkAuth.Builder b = BlnkAuth.builder().ticker(() -> 0L);

    assertThatThrownBy(() -> b.ticker(() -> 1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ticker is already set");
  }

  @Test
  void everyValueSetIsWhatTheSettingsReport() {
    KeyStore store = KeyStore.inMemory();
    MutableClock clock = new MutableClock(Fixture.T0);
    SecureRandom random = new SecureRandom();
    AuthListener listener = AuthListener.none();
    ResourceRegistry registry = ResourceRegistry.builder().add("ledgers").build();
    UsageSettings usage = UsageSettings.builder().maxLease(7).build();
    try (BlnkAuth auth =
        BlnkAuth.builder()
            .store(store)
            .hasher(HMAC)
            .masterKey(Fixture.MASTER)
            .previousMasterKeys(List.of(Fixture.PREVIOUS_MASTER))
            .keyPrefix("acme")
            .registry(registry)
            .clock(clock)
            .random(random)
            .listener(listener)
            .aggregateRefusals(Duration.ZERO)
            .cacheTtl(Duration.ofSeconds(11))
            .proofTtl(Duration.ofSeconds(12))
            .cacheMaximumSize(13)
            .negativeCacheTtl(Duration.ofSeconds(14))
            .failureThrottle(15, Duration.ofSeconds(16))
            .verificationLimit(17, Duration.ofSeconds(18))
            .verificationShare(0.75)
            .lastUsedInterval(Duration.ofSeconds(19))
            .allowNonExpiringKeys(true)
            .rotationGrace(Duration.ofSeconds(20), Duration.ofSeconds(21))
            .maxActiveKeysPerOwner(22)
            .storeTimeouts(Duration.ofSeconds(23), Duration.ofSeconds(24), 25)
            .maxKeyLifetime(Duration.ofDays(26))
            .usage(usage)
            .build()) {
      AuthSettings s = auth.settings();
      assertThat(s.secure()).isTrue();
      assertThat(s.hasMasterKey()).isTrue();
      assertThat(s.previousMasterKeyCount()).isEqualTo(1);
      assertThat(s.store()).isSameAs(store);
      assertThat(s.hasher()).isSameAs(HMAC);
      assertThat(s.keyFormat().prefix()).isEqualTo("acme");
      assertThat(auth.keyFormat().prefix()).isEqualTo("acme");
      assertThat(s.registry()).isSameAs(registry);
      assertThat(s.clock()).isSameAs(clock);
      assertThat(s.random()).isSameAs(random);
      assertThat(s.listener()).isSameAs(listener);
      assertThat(s.refusalAggregation()).isZero();
      assertThat(s.cacheTtl()).isEqualTo(Duration.ofSeconds(11));
      assertThat(s.proofTtl()).isEqualTo(Duration.ofSeconds(12));
      assertThat(s.cacheMaximumSize()).isEqualTo(13);
      assertThat(s.negativeCacheTtl()).isEqualTo(Duration.ofSeconds(14));
      assertThat(s.maxFailures()).isEqualTo(15);
      assertThat(s.failureWindow()).isEqualTo(Duration.ofSeconds(16));
      assertThat(s.maxConcurrentVerifications()).isEqualTo(17);
      assertThat(s.verificationWait()).isEqualTo(Duration.ofSeconds(18));
      assertThat(s.verificationShare()).isEqualTo(0.75);
      assertThat(s.lastUsedInterval()).isEqualTo(Duration.ofSeconds(19));
      assertThat(s.allowNonExpiringKeys()).isTrue();
      assertThat(s.rotationGrace()).isEqualTo(Duration.ofSeconds(20));
      assertThat(s.maxRotationGrace()).isEqualTo(Duration.ofSeconds(21));
      assertThat(s.maxActiveKeysPerOwner()).isEqualTo(22);
      assertThat(s.storeTimeout()).isEqualTo(Duration.ofSeconds(23));
      assertThat(s.storeRetryAfter()).isEqualTo(Duration.ofSeconds(24));
      assertThat(s.maxStoreCallsInFlight()).isEqualTo(25);
      assertThat(s.maxKeyLifetime()).contains(Duration.ofDays(26));
      assertThat(s.usage()).isSameAs(usage);
      assertThat(s.ticker()).isInstanceOf(MonotonicTicker.class);
      assertThat(s.masterKeyChars())
          .extracting(String::new)
          .containsExactly(Fixture.MASTER, Fixture.PREVIOUS_MASTER);
    }
  }

  @Test
  void secureModeOffNeedsNoMasterKeyAndSaysSo() {
    try (BlnkAuth auth =
        BlnkAuth.builder().store(KeyStore.inMemory()).hasher(HMAC).secure(false).build()) {
      assertThat(auth.settings().secure()).isFalse();
      assertThat(auth.settings().hasMasterKey()).isFalse();
      assertThat(auth.settings().masterKeyChars()).isEmpty();
    }
  }

  @Test
  void aBuiltInstanceIsNotChangedByLaterUseOfItsBuilder() {
    BlnkAuth.Builder b =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .hasher(HMAC)
            .masterKey(Fixture.MASTER)
            .cacheTtl(Duration.ofSeconds(30));
    try (BlnkAuth first = b.build()) {
      assertThatThrownBy(() -> b.cacheTtl(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("cacheTtl is already set");
      b.maxKeyLifetime(Duration.ofDays(1))
          .allowNonExpiringKeys(true)
          .previousMasterKeys(List.of(Fixture.PREVIOUS_MASTER));
      try (BlnkAuth second = b.build()) {
        assertThat(first.settings().maxKeyLifetime()).isEmpty();
        assertThat(first.settings().allowNonExpiringKeys()).isFalse();
        assertThat(first.settings().previousMasterKeyCount()).isZero();
        assertThat(second.settings().maxKeyLifetime()).contains(Duration.ofDays(1));
        assertThat(second.settings().allowNonExpiringKeys()).isTrue();
        assertThat(second.settings().previousMasterKeyCount()).isEqualTo(1);
        assertThat(first.settings().cacheTtl()).isEqualTo(second.settings().cacheTtl());
        // the first instance still refuses the former key the second one accepts
        assertThat(first.authenticate(Fixture.PREVIOUS_MASTER).granted()).isFalse();
        assertThat(second.authenticate(Fixture.PREVIOUS_MASTER).granted()).isTrue();
        // and still refuses a key without expiry, and has no lifetime limit
        CreateKeyRequest forever =
            CreateKeyRequest.builder().name("k").owner("o").scopes("ledgers:read").build();
        assertThat(first.keys().create(BlnkPrincipal.master(), forever).refusal())
            .hasValueSatisfying(
                r -> assertThat(r.message()).contains("expires_at").doesNotContain("maxKeyLifetime"));
        CreateKeyRequest month =
            CreateKeyRequest.builder()
                .name("k")
                .owner("o")
                .scopes("ledgers:read")
                .expiresAt(Instant.now().plus(Duration.ofDays(30)))
                .build();
        assertThat(first.keys().create(BlnkPrincipal.master(), month).orElseThrow().apiKey().expiresAt())
            .isPresent();
        assertThat(second.keys().create(BlnkPrincipal.master(), month).refusal())
            .hasValueSatisfying(r -> assertThat(r.message()).contains("maxKeyLifetime"));
      }
    }
  }

  @Test
  void aFailedBuildLeavesTheBuilderUsable() {
    BlnkAuth.Builder b = BlnkAuth.builder().hasher(HMAC).masterKey(Fixture.MASTER);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a KeyStore is required");
    try (BlnkAuth auth = b.store(KeyStore.inMemory()).build()) {
      assertThat(auth.settings().hasMasterKey()).isTrue();
    }
  }

  @Test
  void theSettingsNeverShowAMasterKey() {
    try (BlnkAuth auth =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .hasher(HMAC)
            .masterKey(Fixture.MASTER)
            .previousMasterKeys(List.of(Fixture.PREVIOUS_MASTER))
            .build()) {
      String text = auth.settings().toString();
      assertThat(text)
          .doesNotContain(Fixture.MASTER)
          .doesNotContain(Fixture.PREVIOUS_MASTER)
          .contains("masterKey=(set)", "previousMasterKeys=1", "cacheTtl=PT1M");
    }
  }

  @Test
  void aTestClockIsReadThroughOneMonotonicTicker() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    try (BlnkAuth auth =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .hasher(HMAC)
            .masterKey(Fixture.MASTER)
            .clock(clock)
            .build()) {
      long before = auth.settings().ticker().read();
      clock.advance(Duration.ofSeconds(5));
      assertThat(auth.settings().ticker().read() - before).isEqualTo(5_000_000_000L);
    }
  }
}
