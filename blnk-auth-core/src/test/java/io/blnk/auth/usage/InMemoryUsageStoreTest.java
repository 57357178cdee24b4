package io.blnk.auth.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link UsageStore#inMemory()}: balances, leases and refills as the interface describes. */
final class InMemoryUsageStoreTest {

  private static final Instant NOON = Instant.parse("2026-03-05T12:00:00Z");

  private final UsageStore store = UsageStore.inMemory();

  @Test
  void anUnknownBalanceLeasesNothingAndHasNoRemainingCredits() {
    assertThat(store.lease("nobody", 5, NOON)).isEqualTo(new CreditLease(0, 0, 0));
    assertThat(store.remainingCredits("nobody", NOON)).isEmpty();
  }

  @Test
  void theRemainingCreditsAreRefilledOnceTheRefillBoundaryHasPassed() {
    store.defineCredits("u1", Credits.of(3, Refill.daily(10)), NOON);
    assertThat(store.lease("u1", 3, NOON).granted()).isEqualTo(3);
    assertThat(store.remainingCredits("u1", NOON)).hasValue(0);

    assertThat(store.remainingCredits("u1", Instant.parse("2026-03-06T00:00:00Z"))).hasValue(10);
  }

  @Test
  void theStoreReportsHowManyBalancesItHolds() {
    store.defineCredits("u1", Credits.of(3), NOON);
    store.defineCredits("u2", Credits.of(3), NOON);

    assertThat(store).hasToString("UsageStore.inMemory[2 balances]");
  }

  @Test
  void aBalanceDefinedOnABoundaryIsNotRefilledUntilTheNextOne() {
    Instant midnight = Instant.parse("2026-03-05T00:00:00Z");
    store.defineCredits("u1", Credits.of(3, Refill.daily(10)), midnight);

    assertThat(store.lease("u1", 5, midnight)).isEqualTo(new CreditLease(3, 0, midnight.toEpochMilli()));
    assertThat(store.remainingCredits("u1", midnight.plusSeconds(86_399))).hasValue(0);
  }

  @Test
  void aLeaseAfterTheBoundaryTakesFromTheRefilledBalance() {
    store.defineCredits("u1", Credits.of(1, Refill.daily(10)), NOON);
    Instant next = Instant.parse("2026-03-06T00:00:00Z");

    assertThat(store.lease("u1", 4, next)).isEqualTo(new CreditLease(4, 6, next.toEpochMilli()));
  }

  @Test
  void creditsGivenBackReturnToTheBalanceOnlyWithinTheirPeriod() {
    store.defineCredits("u1", Credits.of(10, Refill.daily(10)), NOON);
    CreditLease lease = store.lease("u1", 4, NOON);

    store.giveBack("u1", 3, lease.periodStart());
    assertThat(store.remainingCredits("u1", NOON)).hasValue(9);

    store.giveBack("u1", 3, lease.periodStart() - 1);
    assertThat(store.remainingCredits("u1", NOON)).hasValue(9);
    store.giveBack("nobody", 3, lease.periodStart());
    assertThat(store.remainingCredits("nobody", NOON)).isEmpty();
  }

  @Test
  void anOwnerLimitIsKeptUntilCleared() {
    io.blnk.auth.key.OwnerId owner = io.blnk.auth.key.OwnerId.of("team-a");
    RateLimit limit = new RateLimit("tenant", 5, java.time.Duration.ofMinutes(1));

    store.setOwnerLimit(owner, java.util.Optional.of(limit));
    assertThat(store.ownerLimit(owner)).contains(limit);
    store.setOwnerLimit(owner, java.util.Optional.empty());
    assertThat(store.ownerLimit(owner)).isEmpty();
  }
}
