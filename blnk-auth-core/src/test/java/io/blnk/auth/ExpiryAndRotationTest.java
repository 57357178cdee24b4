package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §3 and §5 expiry, and §6 rotation, on a hand-moved clock: no sleeps. */
final class ExpiryAndRotationTest {

  private static final AuthResult EXPIRED = AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY);

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private AuthResult use(String key) {
    return f.auth.decide(key, f.resource("ledgers"), "GET", "");
  }

  @Test
  void aKeyWorksJustBeforeItsExpiryAndIsRefusedAtIt() {
    String key = f.create("team-a", Duration.ofHours(1), "ledgers:read").plaintext().reveal();
    Instant expiry = Fixture.T0.plus(Duration.ofHours(1));

    f.clock.set(expiry.minusMillis(1));
    assertThat(use(key).granted()).isTrue();
    f.clock.set(expiry.minusNanos(1));
    assertThat(use(key).granted()).isTrue();
    f.clock.set(expiry);
    assertThat(use(key)).isEqualTo(EXPIRED);
    f.clock.set(expiry.plusSeconds(3600));
    assertThat(use(key)).isEqualTo(EXPIRED);
  }

  @Test
  void anExpiryWithMicrosecondsIsHonouredToTheMicrosecond() {
    Instant expiry = Fixture.T0.plus(Duration.ofHours(1)).plusNanos(500_000);
    String key = f.auth.keys()
        .create(BlnkPrincipal.master(), CreateKeyRequest.builder().name("n").owner("o")
            .scopes("ledgers:read").expiresAt(expiry).build()).orElseThrow()
        .plaintext().reveal();

    f.clock.set(expiry.minusNanos(300_000));
    assertThat(use(key).granted()).isTrue();
    f.clock.set(expiry.minusNanos(1_000));
    assertThat(use(key).granted()).isTrue();
    f.clock.set(expiry);
    assertThat(use(key)).isEqualTo(EXPIRED);
    f.clock.set(expiry.plusNanos(200_000));
    assertThat(use(key)).isEqualTo(EXPIRED);
  }

  @Test
  void aCachedKeyIsCheckedAgainstTheClockOnEveryRequest() {
    String key = f.create("team-a", Duration.ofMinutes(30), "ledgers:read").plaintext().reveal();
    assertThat(use(key).granted()).isTrue();
    int lookups = f.store.lookups.get();

    f.clock.advance(Duration.ofMinutes(29).plusSeconds(59));
    assertThat(use(key).granted()).isTrue();
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(use(key)).isEqualTo(EXPIRED);

    // Still within the cache TTL of the first verification? No store was needed to refuse it.
    assertThat(f.store.lookups.get()).isLessThanOrEqualTo(lookups + 1);
  }

  @Test
  void aCachedKeyIsRefusedAtItsExpiryWithoutAskingTheStore() {
    try (Fixture g = new Fixture(b -> b.cacheTtl(Duration.ofHours(2)))) {
      String key = g.create("team-a", Duration.ofMinutes(30), "ledgers:read").plaintext().reveal();
      assertThat(g.auth.authenticate(key, "").granted()).isTrue();
      int lookups = g.store.lookups.get();

      g.clock.advance(Duration.ofMinutes(30));

      assertThat(g.auth.authenticate(key, "")).isEqualTo(EXPIRED);
      assertThat(g.store.lookups).hasValue(lookups);
    }
  }

  @Test
  void anExpiredKeyIsStillListed() {
    CreatedKey key = f.create("team-a", Duration.ofMinutes(1), "ledgers:read");
    f.clock.advance(Duration.ofMinutes(2));

    assertThat(f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-a")).orElseThrow())
        .extracting(ApiKey::id).containsExactly(key.apiKey().id());
  }

  // ---- rotation -----------------------------------------------------------------------------

  @Test
  void rotationGivesANewKeyAndTheOldOneWorksForTheGracePeriodOnly() {
    CreatedKey old = f.create("team-a", Duration.ofDays(30), "ledgers:read", "balances:*");
    assertThat(use(old.plaintext().reveal()).granted()).isTrue(); // cached before the rotation

    CreatedKey fresh = f.auth.keys().rotate(BlnkPrincipal.master(), old.apiKey().id().value(),
        KeyQuery.anyOwner(), Duration.ofHours(2)).orElseThrow();

    assertThat(fresh.plaintext()).isNotEqualTo(old.plaintext());
    assertThat(fresh.apiKey().id()).isNotEqualTo(old.apiKey().id());
    assertThat(fresh.apiKey().name()).isEqualTo(old.apiKey().name());
    assertThat(fresh.apiKey().ownerId()).isEqualTo(old.apiKey().ownerId());
    assertThat(fresh.apiKey().scopes()).isEqualTo(old.apiKey().scopes());
    assertThat(use(fresh.plaintext().reveal()).granted()).isTrue();

    f.clock.advance(Duration.ofHours(2).minusMillis(1));
    assertThat(use(old.plaintext().reveal()).granted()).isTrue();
    assertThat(use(fresh.plaintext().reveal()).granted()).isTrue();

    f.clock.advance(Duration.ofMillis(1));
    assertThat(use(old.plaintext().reveal())).isEqualTo(EXPIRED);
    assertThat(use(fresh.plaintext().reveal()).granted()).isTrue();
  }

  @Test
  void theDefaultGraceIsADay() {
    CreatedKey old = f.create("team-a", Duration.ofDays(30), "ledgers:read");
    f.auth.keys().rotate(BlnkPrincipal.master(), old.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

    f.clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(use(old.plaintext().reveal()).granted()).isTrue();
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(use(old.plaintext().reveal())).isEqualTo(EXPIRED);
  }

  @Test
  void rotationNeverExtendsAnEarlierExpiry() {
    CreatedKey old = f.create("team-a", Duration.ofHours(1), "ledgers:read");

    f.auth.keys().rotate(BlnkPrincipal.master(), old.apiKey().id().value(), KeyQuery.anyOwner(), Duration.ofHours(5)).orElseThrow();

    f.clock.advance(Duration.ofHours(1));
    assertThat(use(old.plaintext().reveal())).isEqualTo(EXPIRED);
  }

  @Test
  void aGraceBeyondTheMaximumOrNegativeIsRefused() {
    CreatedKey old = f.create("team-a", Duration.ofDays(30), "ledgers:read");
    String id = old.apiKey().id().value();
    KeyService keys = f.auth.keys();

    for (Duration grace : new Duration[] {Duration.ofDays(7).plusSeconds(1), Duration.ofSeconds(-1)}) {
      assertThat(keys.rotate(BlnkPrincipal.master(), id, KeyQuery.anyOwner(), grace))
          .isEqualTo(
              KeyOutcome.refused(
                  ErrorCode.APIKEY_INVALID,
                  "grace_period: " + grace + " must be between PT0S and PT168H"));
    }
    assertThat(use(old.plaintext().reveal()).granted()).isTrue();
    assertThat(keys.list(BlnkPrincipal.master(), KeyQuery.owner("team-a")).orElseThrow()).hasSize(1);
  }

  @Test
  void aRevokedKeyCannotBeRotated() {
    CreatedKey old = f.create("team-a", Duration.ofDays(30), "ledgers:read");
    String id = old.apiKey().id().value();
    f.auth.keys().revoke(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();

    assertThat(f.auth.keys().rotate(BlnkPrincipal.master(), id, KeyQuery.anyOwner()))
        .isEqualTo(
            KeyOutcome.refused(
                ErrorCode.APIKEY_INVALID,
                "api_key_id: " + id + " is revoked or expired and cannot be rotated"));
  }

  @Test
  void rotationFollowsTheOwnerAndDelegationRules() {
    CreatedKey theirs = f.create("team-b", Duration.ofDays(30), "ledgers:read");
    CreatedKey wide = f.create("team-a", Duration.ofDays(30), "ledgers:*");
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(60), "ledgers:read", "api-keys:*"));
    KeyService keys = f.auth.keys();

    assertThat(keys.rotate(caller, theirs.apiKey().id().value(), KeyQuery.anyOwner()))
        .isEqualTo(KeyOutcome.refused(ErrorCode.APIKEY_NOT_FOUND, "API key not found"));
    assertThat(keys.rotate(caller, wide.apiKey().id().value(), KeyQuery.anyOwner()))
        .isEqualTo(
            KeyOutcome.refused(
                ErrorCode.AUTH_SCOPE_ESCALATION, "Cannot grant scopes beyond your own: ledgers:*"));
  }

  @Test
  void aDelegatedCallerCannotRotateIntoAKeyThatOutlivesIt() {
    CreatedKey longLived = f.create("team-a", Duration.ofDays(30), "ledgers:read");
    BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(1), "ledgers:read", "api-keys:*"));

    assertThat(f.auth.keys().rotate(caller, longLived.apiKey().id().value(), KeyQuery.anyOwner()))
        .isEqualTo(
            KeyOutcome.refused(
                ErrorCode.APIKEY_INVALID,
                "expires_at \""
                    + longLived.apiKey().expiresAt().orElseThrow()
                    + "\": a key may not outlive the key that creates it (expires "
                    + caller.expiresAt().orElseThrow()
                    + ")"));
  }
}
