package io.blnk.auth.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.OwnerId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageStore} must do, as the interface describes it: balances, leases, refills,
 * give-backs, removal and owner limits. A store's test extends this class and says how to make a
 * fresh, empty store; cluster-wide behaviour (many nodes leasing at once) is tested where the
 * store's nodes can run.
 */
public abstract class UsageStoreContract {

  private static final Instant NOON = Instant.parse("2026-03-05T12:00:00Z");

  /** The store under test, fresh and empty for each test. */
  protected UsageStore store;

  /**
   * A new, empty store.
   *
   * @return the store to test
   */
  protected abstract UsageStore newStore();

  /** Releases what {@link #newStore()} made, after each test; nothing by default. */
  protected void closeStore() {}

  @BeforeEach
  final void openStore() {
    store = newStore();
  }

  @AfterEach
  final void releaseStore() {
    closeStore();
  }

  @Test
  final void an_unknown_balance_leases_nothing_and_has_no_remaining_credits() {
    assertThat(store.lease("nobody", 5, NOON)).isEqualTo(new CreditLease(0, 0, 0));
    assertThat(store.remainingCredits("nobody", NOON)).isEmpty();
  }

  @Test
  final void the_remaining_credits_are_refilled_once_the_refill_boundary_has_passed() {
    store.defineCredits("u1", Credits.of(3, Refill.daily(10)), NOON);
    assertThat(store.lease("u1", 3, NOON).granted()).isEqualTo(3);
    assertThat(store.remainingCredits("u1", NOON)).hasValue(0);

    assertThat(store.remainingCredits("u1", Instant.parse("2026-03-06T00:00:00Z"))).hasValue(10);
  }

  @Test
  final void a_balance_defined_on_a_boundary_is_not_refilled_until_the_next_one() {
    Instant midnight = Instant.parse("2026-03-05T00:00:00Z");
    store.defineCredits("u1", Credits.of(3, Refill.daily(10)), midnight);

    assertThat(store.lease("u1", 5, midnight))
        .isEqualTo(new CreditLease(3, 0, midnight.toEpochMilli()));
    assertThat(store.remainingCredits("u1", midnight.plusSeconds(86_399))).hasValue(0);
  }

  @Test
  final void a_lease_after_the_boundary_takes_from_the_refilled_balance() {
    store.defineCredits("u1", Credits.of(1, Refill.daily(10)), NOON);
    Instant next = Instant.parse("2026-03-06T00:00:00Z");

    assertThat(store.lease("u1", 4, next)).isEqualTo(new CreditLease(4, 6, next.toEpochMilli()));
  }

  @Test
  final void credits_given_back_return_to_the_balance_only_within_their_period() {
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
  final void a_redefined_balance_replaces_the_old_one_and_voids_its_leases() {
    store.defineCredits("u1", Credits.of(10), NOON);
    CreditLease old = store.lease("u1", 4, NOON);

    store.defineCredits("u1", Credits.of(3), NOON.plusSeconds(1));
    store.giveBack("u1", 4, old.periodStart());

    assertThat(store.remainingCredits("u1", NOON.plusSeconds(1))).hasValue(3);
    assertThat(store.lease("u1", 5, NOON.plusSeconds(1)).granted()).isEqualTo(3);
  }

  @Test
  final void a_removed_balance_grants_nothing_and_removing_twice_is_harmless() {
    store.defineCredits("u1", Credits.of(10), NOON);
    store.defineCredits("u2", Credits.of(10), NOON);

    store.removeCredits("u1");
    store.removeCredits("u1");
    store.removeCredits("nobody");

    assertThat(store.remainingCredits("u1", NOON)).isEmpty();
    assertThat(store.lease("u1", 5, NOON).granted()).isZero();
    assertThat(store.remainingCredits("u2", NOON)).as("another balance is untouched").hasValue(10);
  }

  @Test
  final void an_owner_limit_is_kept_per_owner_replaced_and_cleared() {
    OwnerId a = OwnerId.of("team-a");
    OwnerId b = OwnerId.of("team-b");
    RateLimit five = new RateLimit("tenant", 5, Duration.ofMinutes(1));
    RateLimit seven = new RateLimit("burst", 7, Duration.ofSeconds(10));

    store.setOwnerLimit(a, Optional.of(five));
    assertThat(store.ownerLimit(a)).contains(five);
    assertThat(store.ownerLimit(b)).isEmpty();

    store.setOwnerLimit(a, Optional.of(seven));
    store.setOwnerLimit(b, Optional.of(five));
    assertThat(store.ownerLimit(a)).contains(seven);
    assertThat(store.ownerLimit(b)).contains(five);

    store.setOwnerLimit(a, Optional.empty());
    store.setOwnerLimit(a, Optional.empty());
    assertThat(store.ownerLimit(a)).isEmpty();
    assertThat(store.ownerLimit(b)).contains(five);
  }
}
