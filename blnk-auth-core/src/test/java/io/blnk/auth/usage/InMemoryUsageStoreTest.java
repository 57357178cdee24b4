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
}
