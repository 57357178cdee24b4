package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import io.blnk.auth.usage.UsageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Local rate limits and leased credits, on a controlled clock (no sleeping). */
final class UsageGateTest {

  private static final OwnerId OWNER = OwnerId.of("acme");
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final MutableClock clock = MutableClock.at("2026-03-31T23:59:59Z");
  private final UsageStore store = UsageStore.inMemory();

  private UsageGate gate(UsageSettings settings) {
    return new UsageGate(
        settings,
        store,
        new StoreGuard(Duration.ofSeconds(2), Duration.ofSeconds(5), 4, clock),
        nanos::get,
        clock,
        Duration.ofSeconds(60),
        1000);
  }

  private static UsagePolicy limits(RateLimit... limits) {
    return new UsagePolicy(List.of(limits), Optional.empty());
  }

  @Test
  void aKeyWithoutLimitsOrCreditsHasNoHandle() {
    assertThat(gate(UsageSettings.defaults()).handle("u1", OWNER, UsagePolicy.NONE)).isNull();
  }

  @Test
  void aLocalLimitAdmitsItsBurstThenRefusesWithTheWaitForOneToken() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("default", 5, Duration.ofSeconds(1))));
    for (int i = 0; i < 5; i++) {
      assertThat(gate.admit(h, 1).admitted()).isTrue();
    }
    Admission refused = gate.admit(h, 1);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.GEN_RATE_LIMITED);
    assertThat(refused.denial().orElseThrow().message()).contains("\"default\"").contains("5 per 1 s");
    assertThat(refused.denial().orElseThrow().retryAfter()).isEqualTo(Duration.ofMillis(200));
    assertThat(refused.limits()).containsExactly(new Admission.LimitState("default", 5, 1, 0, 1));
  }

  @Test
  void tokensComeBackAsTheTickerMoves() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("default", 5, Duration.ofSeconds(1))));
    for (int i = 0; i < 5; i++) {
      gate.admit(h, 1);
    }
    nanos.addAndGet(400_000_000L); // 2 tokens

    assertThat(gate.admit(h, 1).admitted()).isTrue();
    assertThat(gate.admit(h, 1).admitted()).isTrue();
    assertThat(gate.admit(h, 1).admitted()).isFalse();
  }

  @Test
  void namedLimitsAreTakenAllOrNothing() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsageHandle h =
        gate.handle(
            "u1",
            OWNER,
            limits(new RateLimit("burst", 3, Duration.ofSeconds(1)), new RateLimit("hourly", 100, Duration.ofHours(1))));
    for (int i = 0; i < 3; i++) {
      assertThat(gate.admit(h, 1).admitted()).isTrue();
    }
    Admission refused = gate.admit(h, 1);

    assertThat(refused.denial().orElseThrow().message()).contains("\"burst\"");
    // the refused request took nothing from "hourly"
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(0L, 97L);
  }

  @Test
  void aCostTakesThatManyTokens() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("default", 10, Duration.ofMinutes(1))));

    assertThat(gate.admit(h, 7).admitted()).isTrue();
    assertThat(gate.admit(h, 4).admitted()).isFalse();
    assertThat(gate.admit(h, 3).admitted()).isTrue();
  }

  @Test
  void theOwnerLimitIsSharedByAllTheOwnersKeysAndRefusesWithoutTakingFromTheKey() {
    UsageGate gate =
        gate(UsageSettings.builder().ownerLimit(new RateLimit("owner", 4, Duration.ofSeconds(10))).build());
    UsageHandle a = gate.handle("a", OWNER, limits(new RateLimit("default", 10, Duration.ofSeconds(10))));
    UsageHandle b = gate.handle("b", OWNER, UsagePolicy.NONE);
    assertThat(gate.admit(a, 2).admitted()).isTrue();
    assertThat(gate.admit(b, 2).admitted()).isTrue();

    Admission refused = gate.admit(a, 1);
    assertThat(refused.denial().orElseThrow().message()).contains("\"owner\"");
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(8L, 0L);
  }

  @Test
  void anOwnersOwnLimitReplacesTheHostDefault() {
    store.setOwnerLimit(OWNER, Optional.of(new RateLimit("tenant", 1, Duration.ofSeconds(10))));
    UsageGate gate =
        gate(UsageSettings.builder().ownerLimit(new RateLimit("owner", 100, Duration.ofSeconds(10))).build());
    UsageHandle h = gate.handle("a", OWNER, UsagePolicy.NONE);

    assertThat(gate.admit(h, 1).admitted()).isTrue();
    assertThat(gate.admit(h, 1).denial().orElseThrow().message()).contains("\"tenant\"");
  }

  @Test
  void bucketsOutliveTheHandleSoARecordReloadDoesNotResetALimit() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsagePolicy p = limits(new RateLimit("default", 2, Duration.ofHours(1)));
    gate.admit(gate.handle("u1", OWNER, p), 2);

    assertThat(gate.admit(gate.handle("u1", OWNER, p), 1).admitted()).isFalse();
  }

  @Test
  void creditsAreSpentThenRefusedWithUsageExceeded() {
    UsageGate gate = gate(UsageSettings.defaults());
    store.defineCredits("u1", Credits.of(3), clock.instant());
    UsageHandle h = gate.handle("u1", OWNER, UsagePolicy.NONE.withCredits(Optional.of(Credits.of(3))));

    assertThat(gate.admit(h, 2).admitted()).isTrue();
    assertThat(gate.admit(h, 1).admitted()).isTrue();
    Admission refused = gate.admit(h, 1);
    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
    assertThat(refused.denial().orElseThrow().retryAfter()).isZero();
  }

  @Test
  void aRequestRefusedForCreditsTakesNoToken() {
    UsageGate gate = gate(UsageSettings.defaults());
    store.defineCredits("u1", Credits.of(0), clock.instant());
    UsageHandle h =
        gate.handle(
            "u1",
            OWNER,
            new UsagePolicy(List.of(new RateLimit("default", 5, Duration.ofHours(1))), Optional.of(Credits.of(0))));

    Admission refused = gate.admit(h, 1);
    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(5L);
  }

  @Test
  void closingGivesTheLeaseBack() {
    UsageGate gate = gate(UsageSettings.defaults());
    store.defineCredits("u1", Credits.of(10_000), clock.instant());
    UsageHandle h = gate.handle("u1", OWNER, UsagePolicy.NONE.withCredits(Optional.of(Credits.of(10_000))));
    gate.admit(h, 1);
    assertThat(store.remainingCredits("u1", clock.instant()).orElseThrow()).isLessThan(9_999);

    gate.close();

    assertThat(store.remainingCredits("u1", clock.instant()).orElseThrow()).isEqualTo(9_999);
  }

  @Test
  void threeNodesSharingOneBalanceGrantExactlyTheCredits() throws Exception {
    store.defineCredits("u1", Credits.of(10_000), clock.instant());
    UsagePolicy p = UsagePolicy.NONE.withCredits(Optional.of(Credits.of(10_000)));
    List<UsageGate> nodes = List.of(gate(UsageSettings.defaults()), gate(UsageSettings.defaults()), gate(UsageSettings.defaults()));
    AtomicLong granted = new AtomicLong();
    hammer(nodes, p, granted, 16);

    assertThat(granted.get()).isEqualTo(10_000);
    assertThat(store.remainingCredits("u1", clock.instant()).orElseThrow()).isZero();
  }

  @Test
  void aRefillIsAppliedOnceAtTheBoundaryWhicheverNodeSeesItFirst() {
    Credits credits = Credits.of(10, Refill.monthly(10, 1));
    store.defineCredits("u1", credits, clock.instant());
    UsagePolicy p = UsagePolicy.NONE.withCredits(Optional.of(credits));
    UsageGate a = gate(UsageSettings.defaults());
    UsageGate b = gate(UsageSettings.defaults());
    long before = 0;
    while (a.admit(a.handle("u1", OWNER, p), 1).admitted()) {
      before++;
    }
    assertThat(before).isEqualTo(10);
    Admission refused = b.admit(b.handle("u1", OWNER, p), 1);
    assertThat(refused.denial().orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(1));

    clock.advance(Duration.ofSeconds(1)); // 2026-04-01T00:00:00Z
    nanos.addAndGet(2_000_000_000L);
    long after = 0;
    UsageHandle ha = a.handle("u1", OWNER, p);
    UsageHandle hb = b.handle("u1", OWNER, p);
    for (int i = 0; i < 20; i++) {
      after += (a.admit(ha, 1).admitted() ? 1 : 0) + (b.admit(hb, 1).admitted() ? 1 : 0);
    }
    assertThat(after).isEqualTo(10);
  }

  private void hammer(List<UsageGate> nodes, UsagePolicy p, AtomicLong granted, int threadsPerNode) throws Exception {
    List<Thread> threads = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    for (UsageGate node : nodes) {
      UsageHandle h = node.handle("u1", OWNER, p);
      for (int t = 0; t < threadsPerNode; t++) {
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  while (node.admit(h, 1).admitted()) {
                    granted.incrementAndGet();
                  }
                });
        thread.start();
        threads.add(thread);
      }
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
  }

  @Test
  void theUnlimitedAdmissionReportsNoLimits() {
    assertThat(Admission.unlimited().admitted()).isTrue();
    assertThat(Admission.unlimited().limits()).isEmpty();
  }

  /** The refusal names the most used of the key's limits, relative to its size; the first on a tie. */
  private String refusedLimit(UsageGate gate, UsageHandle h, long cost) {
    Admission refused = gate.admit(h, cost);
    assertThat(refused.admitted()).isFalse();
    String message = refused.denial().orElseThrow().message();
    return message.substring(message.indexOf('"') + 1, message.indexOf('"', message.indexOf('"') + 1));
  }

  @Test
  void aRefusalNamesTheFullestUsedLimitAndTheFirstOnATie() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsageHandle tie =
        gate.handle("tie", OWNER, limits(new RateLimit("a", 5, Duration.ofSeconds(1)), new RateLimit("b", 5, Duration.ofHours(1))));
    assertThat(gate.admit(tie, 5).admitted()).isTrue();
    assertThat(refusedLimit(gate, tie, 1)).isEqualTo("a"); // both empty

    UsageHandle later =
        gate.handle("later", OWNER, limits(new RateLimit("a", 5, Duration.ofSeconds(1)), new RateLimit("b", 6, Duration.ofHours(1))));
    assertThat(gate.admit(later, 5).admitted()).isTrue();
    nanos.addAndGet(1_000_000_000L);
    assertThat(gate.admit(later, 1).admitted()).isTrue();
    assertThat(refusedLimit(gate, later, 1)).isEqualTo("b"); // a: 4 of 5 left, b: 0 of 6
  }

  @Test
  void theFullestUsedLimitIsJudgedByWhatIsLeftOverItsSize() {
    UsageGate gate = gate(UsageSettings.defaults());
    RateLimit a = new RateLimit("a", 2, Duration.ofSeconds(1));
    RateLimit b = new RateLimit("b", 10, Duration.ofHours(1));
    UsageHandle half = gate.handle("half", OWNER, limits(a, b));
    // a: 1 of 2 left (a half), b: 5 of 10 left (a half): a tie, the first is named
    assertThat(gate.admit(half, 2).admitted()).isTrue();
    nanos.addAndGet(1_000_000_000L);
    assertThat(gate.admit(half, 2).admitted()).isTrue();
    nanos.addAndGet(500_000_000L);
    assertThat(gate.admit(half, 1).admitted()).isTrue();
    nanos.addAndGet(500_000_000L);
    assertThat(refusedLimit(gate, half, 2)).isEqualTo("a");

    UsageHandle tenth = gate.handle("tenth", OWNER, limits(a, b));
    // a: 1 of 2 left (a half), b: 1 of 10 left (a tenth): b is named
    for (int i = 0; i < 4; i++) {
      assertThat(gate.admit(tenth, 2).admitted()).isTrue();
      nanos.addAndGet(1_000_000_000L);
    }
    assertThat(gate.admit(tenth, 1).admitted()).isTrue();
    nanos.addAndGet(500_000_000L);
    assertThat(refusedLimit(gate, tenth, 2)).isEqualTo("b");
  }

  @Test
  void localLimitsNeverWaitForTheStoresCircuit() {
    StoreGuard guard = new StoreGuard(Duration.ofSeconds(2), Duration.ofSeconds(5), 4, clock);
    try {
      UsageGate gate =
          new UsageGate(UsageSettings.defaults(), store, guard, nanos::get, clock, Duration.ofSeconds(60), 1000);
      UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("default", 5, Duration.ofSeconds(1))));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  guard.call(
                      "find",
                      () -> {
                        throw new io.blnk.auth.store.StoreUnavailableException("find", "down", null);
                      }))
          .isInstanceOf(io.blnk.auth.store.StoreUnavailableException.class);

      assertThat(h.isCluster()).isFalse();
      assertThat(gate.admit(h, 1).admitted()).isTrue();
    } finally {
      guard.close();
    }
  }

  @Test
  void anAdmissionPrintsWhetherItWasAdmittedOrItsRefusalCode() {
    UsageGate gate = gate(UsageSettings.defaults());
    UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("default", 1, Duration.ofHours(1))));

    assertThat(gate.admit(h, 1)).hasToString("Admission[admitted]");
    assertThat(gate.admit(h, 1)).hasToString("Admission[GEN_RATE_LIMITED]");
    assertThat(Admission.unlimited()).hasToString("Admission[admitted]");
  }

  private UsageGate clusterGate(UsageStore shared, UsageSettings.Builder settings) {
    return new UsageGate(
        settings.mode(UsageSettings.Mode.CLUSTER).store(shared).build(),
        shared,
        new StoreGuard(Duration.ofSeconds(2), Duration.ofSeconds(5), 4, clock),
        nanos::get,
        clock,
        Duration.ofSeconds(60),
        1000);
  }

  @Test
  void inClusterModeLimitsAreSharedBetweenNodesAndTheRefusalReportsWhatWasLeft() {
    ClusterBuckets shared = new ClusterBuckets();
    UsageGate one = clusterGate(shared, UsageSettings.builder());
    UsageGate two = clusterGate(shared, UsageSettings.builder());
    UsagePolicy policy =
        limits(new RateLimit("burst", 3, Duration.ofSeconds(1)), new RateLimit("hourly", 100, Duration.ofHours(1)));
    UsageHandle a = one.handle("u1", OWNER, policy);
    UsageHandle b = two.handle("u1", OWNER, policy);
    assertThat(a.isCluster()).isTrue();

    Admission first = one.admit(a, 1);
    assertThat(first.admitted()).isTrue();
    assertThat(first.limits()).extracting(Admission.LimitState::remaining).containsExactly(2L, 99L);
    assertThat(two.admit(b, 2).admitted()).isTrue();
    Admission refused = one.admit(a, 1);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.denial().orElseThrow().message()).contains("\"burst\"");
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(0L, 97L);
  }

  @Test
  void inClusterModeAnOwnerRefusalGivesTheKeysTokensBack() {
    ClusterBuckets shared = new ClusterBuckets();
    UsageGate gate =
        clusterGate(shared, UsageSettings.builder().ownerLimit(new RateLimit("owner", 1, Duration.ofHours(1))));
    UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("default", 5, Duration.ofHours(1))));
    assertThat(gate.admit(h, 1).admitted()).isTrue();

    Admission refused = gate.admit(h, 1);

    // What the buckets hold after the refused request's take was given back (as in local mode).
    assertThat(refused.denial().orElseThrow().message()).contains("\"owner\"");
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(4L, 0L);
    assertThat(gate.admit(h, 1).limits()).extracting(Admission.LimitState::remaining).containsExactly(4L, 0L);
  }

  @Test
  void inClusterModeAnExhaustedBalanceGivesEveryTokenBack() {
    ClusterBuckets shared = new ClusterBuckets();
    shared.defineCredits("u1", Credits.of(1), clock.instant());
    UsageGate gate =
        clusterGate(shared, UsageSettings.builder().ownerLimit(new RateLimit("owner", 10, Duration.ofHours(1))));
    UsageHandle h =
        gate.handle(
            "u1",
            OWNER,
            new UsagePolicy(List.of(new RateLimit("default", 5, Duration.ofHours(1))), Optional.of(Credits.of(1))));
    assertThat(gate.admit(h, 1).admitted()).isTrue();

    Admission refused = gate.admit(h, 1);

    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(4L, 9L);
    assertThat(gate.admit(h, 1).limits()).extracting(Admission.LimitState::remaining).containsExactly(4L, 9L);
  }

  @Test
  void inClusterModeCreditsAloneAreMeteredWithoutLimits() {
    ClusterBuckets shared = new ClusterBuckets();
    shared.defineCredits("u1", Credits.of(1), clock.instant());
    UsageGate gate = clusterGate(shared, UsageSettings.builder());
    UsageHandle h = gate.handle("u1", OWNER, new UsagePolicy(List.of(), Optional.of(Credits.of(1))));

    assertThat(h.isCluster()).isFalse();
    assertThat(gate.admit(h, 1)).isSameAs(Admission.unlimited());
    assertThat(gate.admit(h, 1).denial().orElseThrow().code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
  }

  @Test
  void inClusterModeSharedBucketsRefillOnTheHostsClock() {
    UsageGate gate = clusterGate(new ClusterBuckets(), UsageSettings.builder());
    UsageHandle h = gate.handle("u1", OWNER, limits(new RateLimit("burst", 2, Duration.ofSeconds(1))));
    assertThat(gate.admit(h, 2).admitted()).isTrue();
    assertThat(gate.admit(h, 1).admitted()).isFalse();

    clock.advance(Duration.ofSeconds(1));

    assertThat(gate.admit(h, 2).admitted()).isTrue();
  }

  @Test
  void aBalanceRedefinedOrRefilledDifferentlyGivesThisNodesLeaseBack() {
    store.defineCredits("u1", Credits.of(1000), clock.instant());
    UsageGate gate = gate(UsageSettings.defaults());
    UsagePolicy unrefilled = new UsagePolicy(List.of(), Optional.of(Credits.of(1000)));
    assertThat(gate.admit(gate.handle("u1", OWNER, unrefilled), 1).admitted()).isTrue();
    assertThat(store.remainingCredits("u1", clock.instant()).getAsLong()).isLessThan(999);

    gate.creditsChanged("u1");
    assertThat(store.remainingCredits("u1", clock.instant())).hasValue(999);

    assertThat(gate.admit(gate.handle("u1", OWNER, unrefilled), 1).admitted()).isTrue();
    assertThat(store.remainingCredits("u1", clock.instant()).getAsLong()).isLessThan(998);
    UsagePolicy refilled = new UsagePolicy(List.of(), Optional.of(Credits.of(1000, Refill.daily(1000))));
    gate.handle("u1", OWNER, refilled);
    assertThat(store.remainingCredits("u1", clock.instant())).hasValue(998);
  }

  @Test
  void aRefusalByTheKeysOwnLimitsNamesOneOfThemNotTheOwners() {
    UsageGate gate =
        gate(UsageSettings.builder().ownerLimit(new RateLimit("owner", 4, Duration.ofHours(1))).build());
    UsageHandle x = gate.handle("x", OWNER, limits(new RateLimit("x", 3, Duration.ofHours(1))));
    UsageHandle y = gate.handle("y", OWNER, limits(new RateLimit("y", 10, Duration.ofHours(1))));
    assertThat(gate.admit(y, 3).admitted()).isTrue();
    assertThat(gate.admit(x, 1).admitted()).isTrue(); // x: 2 of 3 left, owner: 0 of 4

    assertThat(refusedLimit(gate, x, 3)).isEqualTo("x");
  }
}
