package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits and credits through {@link BlnkAuth}: keys, the master key, reloads, rotation. */
final class UsageControlsTest {

  private Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.auth.close();
  }

  private CreatedKey create(UsagePolicy usage) {
    return f.auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("metered")
                .owner("team-a")
                .scopes("ledgers:read")
                .expiresAt(f.clock.instant().plus(Duration.ofDays(30)))
                .usage(usage)
                .build()).orElseThrow();
  }

  private static UsagePolicy limit(long n, Duration per) {
    return new UsagePolicy(List.of(new RateLimit("default", n, per)), Optional.empty());
  }

  private static UsagePolicy credits(long n) {
    return new UsagePolicy(List.of(), Optional.of(Credits.of(n)));
  }

  private long admitted(BlnkPrincipal p, int tries) {
    long n = 0;
    for (int i = 0; i < tries; i++) {
      n += f.auth.admit(p, 1).admitted() ? 1 : 0;
    }
    return n;
  }

  @Test
  void aKeysLimitIsEnforcedAfterTheDecision() {
    BlnkPrincipal p = f.principal(create(limit(3, Duration.ofMinutes(1))));

    assertThat(admitted(p, 10)).isEqualTo(3);
  }

  @Test
  void theMasterKeyIsNeverLimited() {
    f.auth.close();
    f = new Fixture(b -> b.usage(UsageSettings.builder().ownerLimit(new RateLimit("owner", 1, Duration.ofHours(1))).build()));

    assertThat(admitted(BlnkPrincipal.master(), 100)).isEqualTo(100);
  }

  @Test
  void aKeyWithoutControlsIsAdmittedWithoutLimits() {
    BlnkPrincipal p = f.principal(f.create("ledgers:read"));

    Admission a = f.auth.admit(p, 1);
    assertThat(a.admitted()).isTrue();
    assertThat(a.limits()).isEmpty();
  }

  @Test
  void creditsAreSpentAndTheResponseShowsTheBalance() {
    CreatedKey key = create(credits(5));
    BlnkPrincipal p = f.principal(key);

    assertThat(admitted(p, 8)).isEqualTo(5);
    Admission refused = f.auth.admit(p, 1);
    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
    ApiKey shown = f.auth.keys().get(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
    assertThat(shown.usage().credits().orElseThrow().remaining()).isZero();
  }

  @Test
  void aLimitSurvivesTheRecordCacheExpiring() {
    CreatedKey key = create(limit(3, Duration.ofHours(1)));
    admitted(f.principal(key), 3);

    f.clock.advance(Duration.ofMinutes(5)); // record cache (60 s) expired; bucket refilled 1/12 of 3 → 0
    BlnkPrincipal reloaded = f.principal(key);

    assertThat(f.auth.admit(reloaded, 1).admitted()).isFalse();
  }

  @Test
  void limitsAndCreditsSurviveAFeedReconnect() {
    CreatedKey key = create(new UsagePolicy(List.of(new RateLimit("default", 2, Duration.ofHours(1))), Optional.of(Credits.of(10))));
    admitted(f.principal(key), 2);

    f.auth.changeListener().changesMayHaveBeenMissed();

    assertThat(f.auth.admit(f.principal(key), 1).denial().orElseThrow().code()).isEqualTo(ErrorCode.GEN_RATE_LIMITED);
  }

  @Test
  void aRotatedKeysSuccessorSharesItsCreditsAndBuckets() {
    CreatedKey old = create(new UsagePolicy(List.of(new RateLimit("default", 5, Duration.ofHours(1))), Optional.of(Credits.of(4))));
    assertThat(admitted(f.principal(old), 3)).isEqualTo(3);

    CreatedKey successor =
        f.auth.keys().rotate(BlnkPrincipal.master(), old.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
    BlnkPrincipal next = f.principal(successor);

    assertThat(successor.apiKey().usageId()).isEqualTo(old.apiKey().id().value());
    assertThat(admitted(next, 5)).isEqualTo(1); // 4 credits − 3 spent
    assertThat(admitted(f.principal(old), 1)).isZero(); // the old key, in its grace, shares them
  }

  @Test
  void theOwnerLimitSetByTheMasterKeyAppliesToAllTheOwnersKeys() {
    CreatedKey a = f.create("ledgers:read");
    CreatedKey b = f.create("ledgers:read");
    f.auth.setOwnerLimit(OwnerId.of("team-a"), new RateLimit("tenant", 3, Duration.ofHours(1)));

    long n = admitted(f.principal(a), 2) + admitted(f.principal(b), 2);

    assertThat(n).isEqualTo(3);
    assertThat(f.auth.ownerLimit(OwnerId.of("team-a"))).contains(new RateLimit("tenant", 3, Duration.ofHours(1)));
  }

  @Test
  void anOwnerLimitChangedWhileTheOwnersKeysAreCachedAppliesAtOnceAndIsReturned() {
    CreatedKey key = f.create("ledgers:read");
    assertThat(admitted(f.principal(key), 3)).isEqualTo(3);
    RateLimit tenant = new RateLimit("tenant", 1, Duration.ofHours(1));

    assertThat(f.auth.keys().setOwnerLimit(BlnkPrincipal.master(), KeyQuery.owner("team-a"), tenant))
        .isEqualTo(KeyOutcome.done(Optional.of(tenant)));
    assertThat(f.auth.keys().ownerLimit(BlnkPrincipal.master(), KeyQuery.owner("team-a")))
        .isEqualTo(KeyOutcome.done(Optional.of(tenant)));
    assertThat(admitted(f.principal(key), 3)).isEqualTo(1);

    assertThat(f.auth.keys().clearOwnerLimit(BlnkPrincipal.master(), KeyQuery.owner("team-a")))
        .isEqualTo(KeyOutcome.done(Optional.empty()));
    assertThat(f.auth.keys().ownerLimit(BlnkPrincipal.master(), KeyQuery.owner("team-a")))
        .isEqualTo(KeyOutcome.done(Optional.empty()));
    assertThat(admitted(f.principal(key), 3)).isEqualTo(3);
  }

  @Test
  void creditsLeasedByThisNodeBeforeAnUpdateAreNotSpentAfterIt() {
    CreatedKey key = create(credits(100));
    assertThat(admitted(f.principal(key), 1)).isEqualTo(1);
    f.clock.advance(Duration.ofSeconds(1)); // a new balance starts a new period

    f.auth.keys()
        .update(
            BlnkPrincipal.master(),
            key.apiKey().id().value(),
            KeyQuery.anyOwner(),
            KeyUpdate.builder().credits(Optional.of(Credits.of(4))).build())
        .orElseThrow();

    assertThat(admitted(f.principal(key), 10)).isEqualTo(4);
  }

  @Test
  void makingAKeyUnmeteredRemovesItsBalanceFromTheUsageStore() {
    io.blnk.auth.usage.UsageStore usage = io.blnk.auth.usage.UsageStore.inMemory();
    f.auth.close();
    f = new Fixture(b -> b.usage(UsageSettings.builder().store(usage).build()));
    CreatedKey key = create(credits(3));
    String usageId = key.apiKey().usageId();
    assertThat(usage.remainingCredits(usageId, f.clock.instant())).hasValue(3);

    ApiKey updated =
        f.auth.keys()
            .update(
                BlnkPrincipal.master(),
                key.apiKey().id().value(),
                KeyQuery.anyOwner(),
                KeyUpdate.builder().credits(Optional.empty()).build())
            .orElseThrow();

    assertThat(updated.usage().credits()).isEmpty();
    assertThat(usage.remainingCredits(usageId, f.clock.instant())).isEmpty();
    assertThat(admitted(f.principal(key), 5)).isEqualTo(5);
  }

  @Test
  void closingGivesTheCreditsThisNodeLeasedBackToTheStore() {
    io.blnk.auth.usage.UsageStore usage = io.blnk.auth.usage.UsageStore.inMemory();
    f.auth.close();
    f = new Fixture(b -> b.usage(UsageSettings.builder().store(usage).build()));
    CreatedKey key = create(credits(1000));
    assertThat(admitted(f.principal(key), 1)).isEqualTo(1);
    assertThat(usage.remainingCredits(key.apiKey().usageId(), f.clock.instant()).getAsLong()).isLessThan(999);

    f.auth.close();

    assertThat(usage.remainingCredits(key.apiKey().usageId(), f.clock.instant())).hasValue(999);
  }

  @Test
  void anOwnerWithoutItsOwnLimitHasTheHostsDefault() {
    RateLimit host = new RateLimit("owner", 50, Duration.ofMinutes(1));
    f.auth.close();
    f = new Fixture(b -> b.usage(UsageSettings.builder().ownerLimit(host).build()));

    assertThat(f.auth.ownerLimit(OwnerId.of("team-z"))).contains(host);
    assertThat(f.auth.keys().ownerLimit(BlnkPrincipal.master(), KeyQuery.owner("team-z")))
        .isEqualTo(KeyOutcome.done(Optional.of(host)));
  }

  @Test
  void anUpdateReplacesTheLimitsAndTheBalance() {
    CreatedKey key = create(new UsagePolicy(List.of(new RateLimit("default", 1, Duration.ofHours(1))), Optional.of(Credits.of(1))));
    BlnkPrincipal p = f.principal(key);
    assertThat(admitted(p, 3)).isEqualTo(1);

    ApiKey updated =
        f.auth.keys()
            .update(
                BlnkPrincipal.master(),
                key.apiKey().id().value(),
                KeyQuery.anyOwner(),
                KeyUpdate.builder()
                    .rateLimits(List.of(new RateLimit("default", 10, Duration.ofHours(1))))
                    .credits(Optional.of(Credits.of(4)))
                    .build()).orElseThrow();

    assertThat(updated.usage().rateLimits()).containsExactly(new RateLimit("default", 10, Duration.ofHours(1)));
    assertThat(updated.usage().credits().orElseThrow().remaining()).isEqualTo(4);
    assertThat(admitted(f.principal(key), 10)).isEqualTo(4);
  }

  @Test
  void anUpdateCanRemoveTheCredits() {
    CreatedKey key = create(credits(1));
    admitted(f.principal(key), 1);

    f.auth.keys().update(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner(), KeyUpdate.builder().credits(Optional.empty()).build()).orElseThrow();

    assertThat(admitted(f.principal(key), 5)).isEqualTo(5);
  }

  private CreatedKey createAs(BlnkPrincipal caller, UsagePolicy usage) {
    return tryCreateAs(caller, usage).orElseThrow();
  }

  private KeyOutcome<CreatedKey> tryCreateAs(BlnkPrincipal caller, UsagePolicy usage) {
    return f.auth.keys()
        .create(
            caller,
            CreateKeyRequest.builder()
                .name("delegated")
                .scopes("ledgers:read")
                .expiresAt(f.clock.instant().plus(Duration.ofDays(1)))
                .usage(usage)
                .build());
  }

  /** A key of team-a that may create keys, with {@code usage}, and the principal it signs in as. */
  private BlnkPrincipal delegator(UsagePolicy usage) {
    return f.principal(
        f.auth.keys()
            .create(
                BlnkPrincipal.master(),
                CreateKeyRequest.builder()
                    .name("delegator")
                    .owner("team-a")
                    .scopes("api-keys:*", "ledgers:read")
                    .expiresAt(f.clock.instant().plus(Duration.ofDays(30)))
                    .usage(usage)
                    .build())
            .orElseThrow());
  }

  private static void assertUsageEscalation(KeyOutcome<?> outcome) {
    Refusals.assertRefusedContaining(outcome, ErrorCode.AUTH_SCOPE_ESCALATION, "rate_limits, credits");
  }


  @Test
  void aKeyCreatedByALimitedKeySpendsItsCreatorsCreditsAndBuckets() {
    BlnkPrincipal parent =
        delegator(new UsagePolicy(List.of(new RateLimit("default", 5, Duration.ofHours(1))), Optional.of(Credits.of(4))));
    assertThat(admitted(parent, 3)).isEqualTo(3);

    CreatedKey child = createAs(parent, UsagePolicy.NONE);

    assertThat(child.apiKey().usageId()).isEqualTo(parent.apiKeyId().orElseThrow().value());
    assertThat(child.apiKey().usage().credits()).isPresent(); // its balance is the parent's, leased here
    assertThat(child.apiKey().usage().rateLimits()).extracting(RateLimit::limit).containsExactly(5L);
    assertThat(admitted(f.principal(child), 5)).isEqualTo(1); // 4 credits − 3 spent by the parent
    assertThat(admitted(parent, 1)).isZero();
  }

  @Test
  void aKeyCreatedByALimitedKeySharesItsCreatorsRateLimit() {
    BlnkPrincipal parent = delegator(limit(4, Duration.ofHours(1)));
    CreatedKey child = createAs(parent, UsagePolicy.NONE);
    CreatedKey grandchild = createAs(f.principal(child), UsagePolicy.NONE);

    assertThat(grandchild.apiKey().usageId()).isEqualTo(parent.apiKeyId().orElseThrow().value());
    assertThat(admitted(f.principal(child), 3) + admitted(f.principal(grandchild), 3) + admitted(parent, 3))
        .isEqualTo(4);
  }

  @Test
  void aLimitedKeyCannotGiveANewKeyOtherControls() {
    BlnkPrincipal parent = delegator(credits(2));

    assertUsageEscalation(tryCreateAs(parent, credits(1_000_000)));
    assertUsageEscalation(tryCreateAs(parent, limit(1, Duration.ofSeconds(1))));
    assertThat(f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-a")).orElseThrow()).hasSize(1);
  }

  @Test
  void aLimitedKeyCannotChangeUsageControlsOfAnyKey() {
    BlnkPrincipal parent = delegator(credits(2));
    CreatedKey child = createAs(parent, UsagePolicy.NONE);
    String own = parent.apiKeyId().orElseThrow().value();
    String childId = child.apiKey().id().value();

    assertUsageEscalation(
        f.auth.keys().update(parent, own, KeyQuery.anyOwner(), KeyUpdate.builder().credits(Optional.empty()).build()));
    assertUsageEscalation(
        f.auth.keys().update(parent, childId, KeyQuery.anyOwner(), KeyUpdate.builder().rateLimits(List.of()).build()));
    assertUsageEscalation(
        f.auth.keys().update(parent, childId, KeyQuery.anyOwner(), KeyUpdate.builder().credits(Optional.of(Credits.of(9))).build()));
    assertThat(admitted(parent, 5)).isEqualTo(2); // its credits are as the master key set them
    assertThat(f.auth.keys().update(parent, childId, KeyQuery.anyOwner(), KeyUpdate.builder().name("renamed").build()).isDone())
        .isTrue();
  }

  @Test
  void aRotationByALimitedKeyKeepsTheSharedBalance() {
    BlnkPrincipal parent = delegator(credits(3));
    CreatedKey child = createAs(parent, UsagePolicy.NONE);

    CreatedKey successor =
        f.auth.keys().rotate(parent, child.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

    assertThat(successor.apiKey().usageId()).isEqualTo(parent.apiKeyId().orElseThrow().value());
    assertThat(admitted(f.principal(successor), 5)).isEqualTo(3);
  }

  @Test
  void aLimitedKeyCannotRotateAKeyThatDoesNotShareItsControls() {
    BlnkPrincipal parent = delegator(credits(2));
    CreatedKey unlimitedSibling = create(UsagePolicy.NONE); // the master key's, of the same owner
    CreatedKey looserSibling = create(credits(1_000));

    for (CreatedKey sibling : List.of(unlimitedSibling, looserSibling)) {
      assertUsageEscalation(
          f.auth.keys().rotate(parent, sibling.apiKey().id().value(), KeyQuery.anyOwner()));
    }
    assertThat(f.auth.authenticate(unlimitedSibling.plaintext().reveal(), "").granted()).isTrue();
    String own = parent.apiKeyId().orElseThrow().value();
    assertThat(f.auth.keys().rotate(parent, own, KeyQuery.anyOwner()).isDone()).isTrue();
  }

  @Test
  void aKeyWithoutControlsMayLimitTheKeysItCreates() {
    BlnkPrincipal parent = delegator(UsagePolicy.NONE);

    CreatedKey child = createAs(parent, credits(2));
    f.auth.keys().update(parent, child.apiKey().id().value(), KeyQuery.anyOwner(), KeyUpdate.builder().rateLimits(List.of(new RateLimit("default", 1, Duration.ofHours(1)))).build()).orElseThrow();

    assertThat(child.apiKey().usageId()).isEqualTo(child.apiKey().id().value());
    assertThat(admitted(f.principal(child), 5)).isEqualTo(1);
    assertThat(admitted(parent, 5)).isEqualTo(5);
  }

  @Test
  void aCostBelowOneIsAProgrammingError() {
    BlnkPrincipal p = f.principal(f.create("ledgers:read"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.auth.admit(p, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cost");
  }
}
