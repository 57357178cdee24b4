package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.StoredKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, findings 2 and 8: a secret is hashed once per node. Proofs (digest → id) outlive
 * records (id → row); an expired or dropped record is read again by id, without a hash; a feed
 * interruption drops records, never proofs; caches age on a monotonic ticker.
 */
final class ProofCacheTest {

  @Test
  void tenThousandCachedKeysNeedNoHashAfterAnInterruptedFeedAndARevokeIsStillSeen() {
    try (Fixture f = new Fixture()) {
      List<CreatedKey> keys = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        keys.add(f.create("tenant-" + (i % 50), Duration.ofDays(1), "ledgers:read"));
      }
      for (CreatedKey k : keys) {
        assertThat(f.auth.authenticate(k.plaintext().reveal(), "").granted()).isTrue();
      }
      assertThat(f.hasher.verifications).hasValue(10_000);
      CreatedKey revokedMeanwhile = keys.get(4_321);
      f.store.feedMuted = true;
      f.store.revoke(revokedMeanwhile.apiKey().id(), f.clock.instant());
      int reads = f.store.readsById.get();

      f.store.subscriber.changesMayHaveBeenMissed();

      for (CreatedKey k : keys) {
        AuthResult result = f.auth.authenticate(k.plaintext().reveal(), "");
        if (k == revokedMeanwhile) {
          assertThat(result).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
        } else {
          assertThat(result.granted()).isTrue();
        }
      }
      assertThat(f.hasher.verifications).as("hash verifications after the reconnect").hasValue(10_000);
      assertThat(f.store.readsById.get() - reads).as("one read by id per record").isEqualTo(10_000);
      assertThat(f.auth.estimatedCachedKeys()).isEqualTo(10_000);
    }
  }

  @Test
  void inSteadyStateAnActiveKeyIsHashedOnceWhileItsRecordIsReloadedEveryTtl() {
    try (Fixture f = new Fixture(b -> b.cacheTtl(Duration.ofSeconds(60)))) {
      CreatedKey key = f.create("team-a", Duration.ofDays(2), "ledgers:read");
      int reads = f.store.readsById.get();

      // One request every 10 s for a day.
      for (int i = 0; i < 6 * 60 * 24; i++) {
        assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
        f.clock.advance(Duration.ofSeconds(10));
      }

      assertThat(f.hasher.verifications).as("Argon2id runs in a day").hasValue(1);
      assertThat(f.store.lookups).as("reads by lookup id (with the hash)").hasValue(1);
      assertThat(f.store.readsById.get() - reads).as("records read again").isBetween(60 * 24 - 1, 6 * 60 * 24 / 6 + 1);
    }
  }

  @Test
  void aProofUnusedForItsLifetimeIsForgottenAndTheKeyIsHashedAgain() {
    try (Fixture f = new Fixture(b -> b.proofTtl(Duration.ofHours(1)))) {
      CreatedKey key = f.create("team-a", Duration.ofDays(2), "ledgers:read");
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      f.clock.advance(Duration.ofMinutes(59));
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      assertThat(f.hasher.verifications).as("used within its lifetime").hasValue(1);

      f.clock.advance(Duration.ofMinutes(61));

      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      assertThat(f.hasher.verifications).hasValue(2);
    }
  }

  @Test
  void aRecordReloadedAfterARevokeIsRefusedWithoutAHash() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = f.create("ledgers:read");
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();

      f.auth.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

      assertThat(f.auth.authenticate(key.plaintext().reveal(), ""))
          .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
      assertThat(f.hasher.verifications).hasValue(1);
    }
  }

  @Test
  void aProofWhoseRowIsGoneProvesNothing() {
    CountingKeyStore store = new CountingKeyStore();
    try (Fixture f = new Fixture(store, new CountingHasher(), b -> b)) {
      CreatedKey key = f.create("ledgers:read");
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      // The row disappears (deleted by hand) while the feed was cut.
      store.gone.add(key.apiKey().id());
      f.auth.changeListener().changesMayHaveBeenMissed();

      assertThat(f.auth.authenticate(key.plaintext().reveal(), ""))
          .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      assertThat(f.auth.estimatedCachedKeys()).isZero();
    }
  }

  @Test
  void aCachedKeySeesAChangeToAnyKeyAndItsOwnRevocationAtOnce() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = f.create("ledgers:read");
      CreatedKey other = f.create("ledgers:read");
      String k = key.plaintext().reveal();
      assertThat(f.auth.authenticate(k, "").granted()).isTrue();
      assertThat(f.auth.authenticate(k, "").granted()).isTrue(); // from the proof's own copy
      int reads = f.store.readsById.get();

      // Another key changes: this key's copy is checked against the record cache, not re-read.
      f.auth.changeListener().keyChanged(other.apiKey().id());
      assertThat(f.auth.authenticate(k, "").granted()).isTrue();
      assertThat(f.store.readsById.get()).isEqualTo(reads);

      // This key is revoked in the store and the feed says so: refused at once, with no hash.
      f.store.revoke(key.apiKey().id(), f.clock.instant());
      f.auth.changeListener().keyChanged(key.apiKey().id());
      assertThat(f.auth.authenticate(k, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
      assertThat(f.hasher.verifications).hasValue(1);
    }
  }

  @Test
  void cacheStatisticsCountAKnownSequence() {
    try (Fixture f = new Fixture(b -> b.cacheTtl(Duration.ofSeconds(60)))) {
      String k = f.create("ledgers:read").plaintext().reveal();
      BlnkAuth.CacheStatistics before = f.auth.cacheStatistics();
      assertThat(before).isEqualTo(new BlnkAuth.CacheStatistics(0, 0, 0, 0));

      f.auth.authenticate(k, ""); // first sight: a miss
      f.auth.authenticate(k, ""); // hits
      f.auth.authenticate(k, "");
      f.auth.authenticate(Fixture.MASTER, ""); // the master key: neither
      f.auth.authenticate("blnk_malformed", ""); // a malformed key: neither
      f.clock.advance(Duration.ofSeconds(61));
      f.auth.authenticate(k, ""); // the record expired: reloaded, a miss
      f.auth.authenticate(k, ""); // a hit
      f.auth.changeListener().changesMayHaveBeenMissed();
      f.auth.authenticate(k, ""); // records dropped: a miss

      assertThat(f.auth.cacheStatistics()).isEqualTo(new BlnkAuth.CacheStatistics(1, 1, 3, 3));
    }
  }

  // ---- ticker -------------------------------------------------------------------------------

  @Test
  void theSystemClockInAnyZoneGetsTheNanoTimeTicker() {
    assertThat(BlnkAuth.Builder.isSystemClock(InstantSource.system())).isTrue();
    assertThat(BlnkAuth.Builder.isSystemClock(Clock.systemUTC())).isTrue();
    assertThat(BlnkAuth.Builder.isSystemClock(Clock.systemDefaultZone())).isTrue();
    assertThat(BlnkAuth.Builder.isSystemClock(Clock.system(ZoneId.of("Asia/Tokyo")))).isTrue();
    assertThat(BlnkAuth.Builder.isSystemClock(Clock.fixed(Instant.EPOCH, ZoneId.of("UTC")))).isFalse();
    assertThat(BlnkAuth.Builder.isSystemClock(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))).isFalse();
  }

  @Test
  void aClockSteppingBackNeverMovesTheCacheTickerBack() {
    MutableClock clock = new MutableClock(Fixture.T0);
    MonotonicTicker ticker = new MonotonicTicker(clock);
    long start = ticker.read();
    clock.advance(Duration.ofSeconds(5));
    long later = ticker.read();

    clock.advance(Duration.ofHours(-1));

    assertThat(later - start).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(ticker.read()).isEqualTo(later);
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(ticker.read() - later).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void aClockSteppingBackDoesNotKeepARecordPastItsTtl() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = f.create("team-a", Duration.ofDays(2), "ledgers:read");
      f.auth.authenticate(key.plaintext().reveal(), "");
      int reads = f.store.readsById.get();
      f.clock.advance(Duration.ofSeconds(30));
      f.clock.advance(Duration.ofHours(-1)); // a wall clock stepping back
      f.clock.advance(Duration.ofHours(1).plusSeconds(31)); // 61 s after the read on the ticker

      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      assertThat(f.store.readsById.get() - reads).isEqualTo(1);
    }
  }

  @Test
  void anInjectedTickerDecidesCacheLifetimesWhileTheClockDecidesExpiry() {
    long[] nanos = {0};
    try (Fixture f = new Fixture(b -> b.ticker(() -> nanos[0]))) {
      CreatedKey key = f.create("team-a", Duration.ofMinutes(5), "ledgers:read");
      f.auth.authenticate(key.plaintext().reveal(), "");
      int reads = f.store.readsById.get();

      f.clock.advance(Duration.ofMinutes(4)); // the clock moves; the ticker does not
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      assertThat(f.store.readsById.get()).isEqualTo(reads);

      nanos[0] += Duration.ofSeconds(61).toNanos();
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      assertThat(f.store.readsById.get()).isEqualTo(reads + 1);

      f.clock.advance(Duration.ofMinutes(1)); // expiry follows the clock, cached record or not
      assertThat(f.auth.authenticate(key.plaintext().reveal(), ""))
          .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
    }
  }

  // ---- no lookup id printed -----------------------------------------------------------------

  @Test
  void aStoredKeyPrintsNeitherItsLookupIdNorItsHash() {
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "name",
            new OwnerId("team-a"),
            ScopeSet.parse(List.of("ledgers:read")),
            Optional.empty(),
            Fixture.T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_AbCdEfGh");
    StoredKey stored = new StoredKey(key, "AbCdEfGhIjKlMnOp", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA");

    assertThat(stored.toString()).doesNotContain("AbCdEfGhIjKlMnOp").doesNotContain("aGFzaA")
        .contains(key.id().value());
  }

  @Test
  void oneAuthenticatedKeyIsOneProofAndOneCachedRecord() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = f.create("ledgers:read");
      assertThat(f.auth.estimatedCachedRecords()).isZero();

      f.auth.authenticate(key.plaintext().reveal(), "");
      f.auth.authenticate(key.plaintext().reveal(), "");

      assertThat(f.auth.estimatedCachedKeys()).isEqualTo(1);
      assertThat(f.auth.estimatedCachedRecords()).isEqualTo(1);
    }
  }
}
