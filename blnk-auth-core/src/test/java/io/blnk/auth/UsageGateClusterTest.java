package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster mode of {@link UsageGate} without a database: the shared buckets live in a map
 * behind Bucket4j's compare-and-swap proxy ({@link ClusterBuckets}, as the JDBC store keeps rows), so every
 * decision, refund and header value of the cluster path is checked on a hand-moved clock. The
 * JDBC integration itself is {@code UsageClusterTest}'s, on PostgreSQL and MariaDB.
 */
final class UsageGateClusterTest {

  private static final OwnerId OWNER = OwnerId.of("acme");

  private final MutableClock clock = MutableClock.at("2026-03-05T12:00:00Z");
  private final StoreGuard guard = new StoreGuard(Duration.ofSeconds(2), Duration.ofSeconds(5), 4, clock);
  private final ClusterBuckets shared = new ClusterBuckets();

  @AfterEach
  void close() {
    guard.close();
  }

  private UsageGate node(UsageSettings.Builder settings) {
    return new UsageGate(
        settings.mode(UsageSettings.Mode.CLUSTER).build(),
        shared,
        guard,
        () -> clock.millis() * 1_000_000L,
        clock,
        Duration.ofSeconds(60),
        1000);
  }

  private static UsagePolicy limits(RateLimit... limits) {
    return new UsagePolicy(List.of(limits), Optional.empty());
  }

  @Test
  void twoNodesShareOneLimitAndTheRefusalGivesTheWaitAndTheRemainingTokens() {
    UsageGate a = node(UsageSettings.builder());
    UsageGate b = node(UsageSettings.builder());
    UsagePolicy p = limits(new RateLimit("default", 4, Duration.ofSeconds(2)));
    UsageHandle onA = a.handle("k1", OWNER, p);
    UsageHandle onB = b.handle("k1", OWNER, p);

    assertThat(a.admit(onA, 1).limits()).containsExactly(new Admission.LimitState("default", 4, 2, 3, 1));
    assertThat(b.admit(onB, 2).limits()).containsExactly(new Admission.LimitState("default", 4, 2, 1, 2));
    assertThat(a.admit(onA, 1).admitted()).isTrue();
    Admission refused = b.admit(onB, 1);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.GEN_RATE_LIMITED);
    assertThat(refused.denial().orElseThrow().retryAfter()).isEqualTo(Duration.ofMillis(500));
    assertThat(refused.limits()).containsExactly(new Admission.LimitState("default", 4, 2, 0, 2));
    clock.advance(Duration.ofMillis(500));
    assertThat(a.admit(onA, 1).admitted()).isTrue();
    assertThat(shared.states).hasSize(1);
  }

  @Test
  void namedLimitsAreTakenAllOrNothingAndTheFullestUsedOneIsNamed() {
    UsageGate gate = node(UsageSettings.builder());
    UsageHandle h =
        gate.handle(
            "k1",
            OWNER,
            limits(new RateLimit("burst", 2, Duration.ofSeconds(1)), new RateLimit("hourly", 10, Duration.ofHours(1))));
    gate.admit(h, 1);

    Admission refused = gate.admit(h, 2); // "burst" has 1 of 2 left, "hourly" 9 of 10

    assertThat(refused.denial().orElseThrow().message()).contains("\"burst\"").contains("2 per 1 s");
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(1L, 9L);
    assertThat(gate.admit(h, 1).limits()).extracting(Admission.LimitState::remaining).containsExactly(0L, 8L);
  }

  @Test
  void theOwnerLimitRefusesWithoutTakingFromTheKeysLimit() {
    UsageGate gate = node(UsageSettings.builder().ownerLimit(new RateLimit("owner", 2, Duration.ofMinutes(1))));
    UsageHandle h = gate.handle("k1", OWNER, limits(new RateLimit("default", 10, Duration.ofMinutes(1))));
    gate.admit(h, 2);

    Admission refused = gate.admit(h, 1);

    assertThat(refused.denial().orElseThrow().message()).contains("\"owner\"");
    assertThat(refused.denial().orElseThrow().retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(8L, 0L);
    assertThat(gate.handle("k1", OWNER, limits(new RateLimit("default", 10, Duration.ofMinutes(1))))
            .remainingNow())
        .containsExactly(8L, 0L);
  }

  @Test
  void exhaustedCreditsRefuseAndGiveTheTakenTokensBack() {
    UsageGate gate = node(UsageSettings.builder());
    shared.defineCredits("k1", Credits.of(1), clock.instant());
    UsageHandle h =
        gate.handle(
            "k1",
            OWNER,
            new UsagePolicy(List.of(new RateLimit("default", 5, Duration.ofMinutes(1))), Optional.of(Credits.of(1))));
    assertThat(gate.admit(h, 1).admitted()).isTrue();

    Admission refused = gate.admit(h, 1);

    assertThat(refused.denial().orElseThrow().code()).isEqualTo(ErrorCode.AUTH_USAGE_EXCEEDED);
    // The refused request's token came back, and the fields say so (as in local mode).
    assertThat(refused.limits()).extracting(Admission.LimitState::remaining).containsExactly(4L);
    assertThat(h.remainingNow()).containsExactly(4L);
  }

  @Test
  void aClusterCheckRunsOnAStoreWorkerAndACreditOnlyKeyNeverAsksTheBuckets() {
    UsageGate gate = node(UsageSettings.builder());
    shared.defineCredits("c1", Credits.of(10), clock.instant());
    UsageHandle limited = gate.handle("k1", OWNER, limits(new RateLimit("default", 5, Duration.ofMinutes(1))));
    UsageHandle creditOnly = gate.handle("c1", OWNER, new UsagePolicy(List.of(), Optional.of(Credits.of(10))));

    assertThat(limited.isCluster()).isTrue();
    assertThat(creditOnly.isCluster()).isFalse();
    gate.admit(limited, 1);
    int trips = shared.roundTrips.get();
    assertThat(trips).isPositive();
    assertThat(gate.admit(creditOnly, 1).admitted()).isTrue();
    assertThat(shared.roundTrips).hasValue(trips);
  }

  @Test
  void whenTheBucketsCannotBeReachedTheCircuitOpensAndLaterChecksAreRefusedAtOnce() {
    UsageGate gate = node(UsageSettings.builder());
    UsageHandle h = gate.handle("k1", OWNER, limits(new RateLimit("default", 5, Duration.ofMinutes(1))));
    shared.down = true;

    assertThatThrownBy(() -> gate.admit(h, 1)).isInstanceOf(StoreUnavailableException.class);
    int trips = shared.roundTrips.get();
    assertThatThrownBy(() -> gate.admit(h, 1))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("circuit open");
    assertThat(shared.roundTrips).hasValue(trips);

    shared.down = false;
    clock.advance(Duration.ofSeconds(5));
    assertThat(gate.admit(h, 1).admitted()).isTrue();
  }
}
