package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsageStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * One node's share of a balance, driven by hand: leases sized by what is still needed, credits of
 * an old period dropped at the refill boundary, an exhausted balance re-read only after the wait.
 */
final class CreditAccountTest {

  private static final Instant NOON = Instant.parse("2026-03-05T12:00:00Z");
  private static final Instant MIDNIGHT = Instant.parse("2026-03-06T00:00:00Z");
  private static final long RECHECK = 1_000_000_000L;

  private final UsageStore store = UsageStore.inMemory();

  @Test
  void atTheRefillBoundaryTheOldPeriodsCreditsAreDroppedAndTheRefillIsLeased() {
    Refill daily = Refill.daily(50);
    store.defineCredits("u", Credits.of(100, daily), NOON);
    CreditAccount account = new CreditAccount("u", store, 10, RECHECK, daily);
    assertThat(account.spend(1, NOON.toEpochMilli(), 0)).isTrue();
    assertThat(account.held()).isEqualTo(9);

    assertThat(account.spend(1, MIDNIGHT.toEpochMilli(), 1)).isTrue();

    // 50 after the refill, a lease of 6 (a sixteenth of the 90 last seen), one spent.
    assertThat(account.held()).isEqualTo(5);
    assertThat(store.remainingCredits("u", MIDNIGHT)).hasValue(44);
  }

  @Test
  void aLeaseAsksOnlyForWhatTheRequestStillLacks() {
    store.defineCredits("u", Credits.of(4), NOON);
    CreditAccount account = new CreditAccount("u", store, 10, RECHECK, null);
    assertThat(account.spend(1, NOON.toEpochMilli(), 0)).isTrue();
    assertThat(account.held()).isEqualTo(3);
    store.giveBack("u", 20, NOON.toEpochMilli()); // the store has credits again, same period

    assertThat(account.spend(5, NOON.toEpochMilli(), 1)).isTrue();

    assertThat(account.held()).isZero();
    assertThat(store.remainingCredits("u", NOON)).hasValue(18);
  }

  @Test
  void creditsHeldFromABalanceThatWasRedefinedAreNotCarriedIntoItsNextLease() {
    store.defineCredits("u", Credits.of(100), NOON);
    CreditAccount account = new CreditAccount("u", store, 4, RECHECK, null);
    assertThat(account.spend(1, NOON.toEpochMilli(), 0)).isTrue();
    assertThat(account.held()).isEqualTo(3);
    store.defineCredits("u", Credits.of(20), NOON.plusSeconds(1)); // a new balance: a new period

    assertThat(account.spend(4, NOON.plusSeconds(1).toEpochMilli(), 1)).isTrue();

    assertThat(account.held()).isZero();
    assertThat(store.remainingCredits("u", NOON)).hasValue(16);
  }

  @Test
  void aRequestNeedingMoreThanTheFirstLeaseOfANewPeriodGivesIsServedFromASecondLease() {
    store.defineCredits("u", Credits.of(4), NOON);
    CreditAccount account = new CreditAccount("u", store, 10, RECHECK, null);
    assertThat(account.spend(1, NOON.toEpochMilli(), 0)).isTrue(); // holds 3 of the old balance
    store.defineCredits("u", Credits.of(20), NOON.plusSeconds(1)); // another node redefined it

    // 5 needed, 3 held: the first lease asks for 2, finds a new period and voids the 3 held; a
    // second lease asks for what is really missing instead of refusing with 18 credits left.
    assertThat(account.spend(5, NOON.plusSeconds(1).toEpochMilli(), 1)).isTrue();

    assertThat(account.held() + store.remainingCredits("u", NOON.plusSeconds(1)).orElseThrow())
        .isEqualTo(15);
  }

  @Test
  void aBalanceRedefinedWithinTheSameMillisecondStillStartsANewPeriod() {
    store.defineCredits("u", Credits.of(100), NOON);
    CreditAccount account = new CreditAccount("u", store, 10, RECHECK, null);
    assertThat(account.spend(1, NOON.toEpochMilli(), 0)).isTrue(); // holds 9 of the 100

    store.defineCredits("u", Credits.of(4), NOON); // the same millisecond
    account.close(); // the 9 belong to the old balance: they must not land in the new one

    assertThat(store.remainingCredits("u", NOON)).hasValue(4);
    CreditAccount fresh = new CreditAccount("u", store, 10, RECHECK, null);
    int granted = 0;
    for (int i = 0; i < 10; i++) {
      granted += fresh.spend(1, NOON.toEpochMilli(), i) ? 1 : 0;
    }
    assertThat(granted).isEqualTo(4);
  }

  @Test
  void anExhaustedBalanceIsReadAgainOnlyOnceTheRecheckWaitHasPassed() {
    store.defineCredits("u", Credits.of(0), NOON);
    CreditAccount account = new CreditAccount("u", store, 10, RECHECK, null);
    long t = 5_000_000_000L;
    assertThat(account.spend(1, NOON.toEpochMilli(), t)).isFalse();
    store.giveBack("u", 5, NOON.toEpochMilli());

    assertThat(account.spend(1, NOON.toEpochMilli(), t + RECHECK - 1)).isFalse();
    assertThat(store.remainingCredits("u", NOON)).hasValue(5);

    assertThat(account.spend(1, NOON.toEpochMilli(), t + RECHECK)).isTrue();
  }

  @Test
  void heldCreditsAreSpentWithoutAskingTheStoreAndGivenBackOnClose() {
    store.defineCredits("u", Credits.of(100), NOON);
    CreditAccount account = new CreditAccount("u", store, 10, RECHECK, null);
    assertThat(account.spend(1, NOON.toEpochMilli(), 0)).isTrue();
    assertThat(store.remainingCredits("u", NOON)).hasValue(90);

    assertThat(account.spend(9, NOON.toEpochMilli(), 1)).isTrue();
    assertThat(account.held()).isZero();
    assertThat(account.spend(2, NOON.toEpochMilli(), 2)).isTrue();
    assertThat(account.held()).isEqualTo(4);
    assertThat(store.remainingCredits("u", NOON)).hasValue(84);

    account.close();

    assertThat(account.held()).isZero();
    assertThat(store.remainingCredits("u", NOON)).hasValue(88);
  }

  @Test
  void theNextRefillIsTheRefillsNextBoundaryOrNever() {
    Refill daily = Refill.daily(50);

    assertThat(new CreditAccount("u", store, 10, RECHECK, daily).refillAt(NOON.toEpochMilli()))
        .isEqualTo(MIDNIGHT.toEpochMilli());
    assertThat(new CreditAccount("u", store, 10, RECHECK, daily).refill()).isSameAs(daily);
    assertThat(new CreditAccount("u", store, 10, RECHECK, null).refillAt(NOON.toEpochMilli()))
        .isEqualTo(Long.MAX_VALUE);
  }
}
