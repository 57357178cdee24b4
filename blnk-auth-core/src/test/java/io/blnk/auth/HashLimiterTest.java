package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyHasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hash budget's arithmetic, one thread, no waiting (a zero wait makes every refusal
 * immediate): the share per address and per owner, the global permits, and turns that give back
 * exactly what they took, once.
 */
final class HashLimiterTest {

  /** A hash refused for want of a permit, advising a retry after a second. */
  private static final KeyOutcome<String> RATE_LIMITED =
      new KeyOutcome.Refused<>(
          ErrorCode.GEN_RATE_LIMITED,
          "Too many keys are being hashed at once; try again shortly",
          java.util.Optional.of(java.time.Duration.ofSeconds(1)));


  private static final KeyHasher HMAC = KeyHasher.hmacSha256(new byte[32]);

  private static HashLimiter limiter(int permits, double share) {
    return new HashLimiter(HMAC, permits, Duration.ZERO, share);
  }

  @Test
  void theShareIsTheFloorOfTheFractionAndAtLeastOne() {
    assertThat(limiter(4, 0.5).share()).isEqualTo(2);
    assertThat(limiter(5, 0.5).share()).isEqualTo(2);
    assertThat(limiter(4, 0.1).share()).isEqualTo(1);
    assertThat(limiter(4, 1.0).share()).isEqualTo(4);
  }

  @Test
  void oneAddressGetsItsShareAndNoMore() {
    HashLimiter limiter = limiter(4, 0.5);
    HashLimiter.Turn one = limiter.verification("10.0.0.1", "owner-1");
    HashLimiter.Turn two = limiter.verification("10.0.0.1", "owner-2");
    assertThat(one).isNotNull();
    assertThat(two).isNotNull();

    assertThat(limiter.verification("10.0.0.1", "owner-3")).isNull();
    // Another address still gets a turn.
    assertThat(limiter.verification("10.0.0.2", "owner-3")).isNotNull();

    one.close();
    assertThat(limiter.verification("10.0.0.1", "owner-4")).isNotNull();
  }

  @Test
  void oneOwnerGetsItsShareAndNoMoreWhateverTheAddress() {
    HashLimiter limiter = limiter(4, 0.5);
    assertThat(limiter.verification("10.0.0.1", "owner")).isNotNull();
    assertThat(limiter.verification("10.0.0.2", "owner")).isNotNull();

    assertThat(limiter.verification("10.0.0.3", "owner")).isNull();
    assertThat(limiter.verification("10.0.0.3", "other")).isNotNull();
  }

  @Test
  void theGlobalPermitsBoundEveryoneTogether() {
    HashLimiter limiter = limiter(2, 0.5);
    assertThat(limiter.verification("a", "x")).isNotNull();
    assertThat(limiter.verification("b", "y")).isNotNull();

    assertThat(limiter.verification("c", "z")).isNull();
    // Refused at the global permits, the caller held its address and owner turns: both given back.
    assertThat(limiter.verification("c", "z")).isNull();
    assertThat(limiter.hash(new byte[] {1})).isEqualTo(RATE_LIMITED);
  }

  @Test
  void aRefusedVerificationGivesBackTheTurnsItTook() {
    HashLimiter limiter = limiter(1, 1.0);
    HashLimiter.Turn held = limiter.verification("a", "x");
    // Refused at the permit: its address and owner turns must not leak.
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.verification("b", "y")).isNull();
    }
    held.close();
    assertThat(limiter.verification("b", "y")).isNotNull();
  }

  @Test
  void closingATurnTwiceGivesBackOnlyOnce() {
    HashLimiter limiter = limiter(2, 1.0);
    HashLimiter.Turn turn = limiter.verification("a", "x");
    turn.close();
    turn.close();

    List<HashLimiter.Turn> turns = new ArrayList<>();
    turns.add(limiter.verification("a", "x"));
    turns.add(limiter.verification("a", "x"));
    assertThat(turns).doesNotContainNull();
    assertThat(limiter.verification("b", "y")).isNull();
  }

  @Test
  void anAnonymousCallerIsBudgetedByOwnerOnly() {
    HashLimiter limiter = limiter(4, 0.25);
    assertThat(limiter.verification("", "x")).isNotNull();
    assertThat(limiter.verification("", "y")).isNotNull();
    assertThat(limiter.verification("", "z")).isNotNull();
    assertThat(limiter.verification("", "x")).isNull();
  }

  @Test
  void hashingTakesAPermitAndGivesItBack() {
    HashLimiter limiter = limiter(1, 1.0);
    String hash = limiter.hash(new byte[] {1, 2, 3}).orElseThrow();
    assertThat(HMAC.verify(hash, new byte[] {1, 2, 3})).isTrue();
    assertThat(limiter.hash(new byte[] {4}).orElseThrow()).isNotEmpty();
    HashLimiter.Turn turn = limiter.verification("a", "x");
    assertThat(turn).isNotNull();
    assertThat(limiter.hash(new byte[] {5})).isEqualTo(RATE_LIMITED);
  }

  @Test
  void aClosedTurnIsFreeForTheNextRequestOfAnAddressStillPresent() {
    HashLimiter limiter = limiter(4, 0.5);
    HashLimiter.Turn first = limiter.verification("10.0.0.1", "owner-1");
    HashLimiter.Turn second = limiter.verification("10.0.0.1", "owner-2");
    assertThat(second).isNotNull();

    first.close();

    assertThat(limiter.verification("10.0.0.1", "owner-3")).isNotNull();
  }

  @Test
  void aRefusedRequestDoesNotResetTheGateOfThoseStillHoldingTurns() {
    HashLimiter limiter = limiter(2, 0.5);
    HashLimiter.Turn held = limiter.verification("10.0.0.1", "owner-1");
    assertThat(held).isNotNull();

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.verification("10.0.0.1", "owner-" + (i + 2))).isNull();
    }
    held.close();
    assertThat(limiter.verification("10.0.0.1", "owner-9")).isNotNull();
  }

  @Test
  void noGateOutlivesTheLastTurnOfItsAddressOrOwner() throws Exception {
    HashLimiter limiter = limiter(4, 0.5);
    HashLimiter.Turn a = limiter.verification("10.0.0.1", "owner");
    HashLimiter.Turn b = limiter.verification("10.0.0.1", "owner");
    assertThat(limiter.verification("10.0.0.1", "owner")).isNull();
    assertThat(gates(limiter, "bySource")).containsOnlyKeys("10.0.0.1");
    assertThat(gates(limiter, "byOwner")).containsOnlyKeys("owner");

    a.close();
    assertThat(gates(limiter, "bySource")).containsOnlyKeys("10.0.0.1");
    b.close();

    assertThat(gates(limiter, "bySource")).isEmpty();
    assertThat(gates(limiter, "byOwner")).isEmpty();
  }

  private static java.util.Map<String, ?> gates(HashLimiter limiter, String field) throws Exception {
    java.lang.reflect.Field f = HashLimiter.class.getDeclaredField(field);
    f.setAccessible(true);
    @SuppressWarnings("unchecked")
    java.util.Map<String, ?> map = (java.util.Map<String, ?>) f.get(limiter);
    return map;
  }

  @Test
  void anInterruptedCallerGetsNoTurnAndKeepsItsInterrupt() {
    HashLimiter limiter = limiter(4, 0.5);
    Thread.currentThread().interrupt();

    HashLimiter.Turn turn = limiter.verification("10.0.0.1", "owner");

    assertThat(Thread.interrupted()).isTrue();
    assertThat(turn).isNull();
    assertThat(limiter.verification("10.0.0.1", "owner")).isNotNull();
  }

  /** A caller waits up to the limiter's wait for a permit: it gets the one given back meanwhile. */
  @Test
  void aCallerWaitsForAPermitGivenBackWithinTheWait() throws Exception {
    HashLimiter limiter = new HashLimiter(HMAC, 1, Duration.ofSeconds(30), 1.0);
    HashLimiter.Turn held = limiter.verification("10.0.0.1", "owner-1");
    java.lang.reflect.Field f = HashLimiter.class.getDeclaredField("permits");
    f.setAccessible(true);
    java.util.concurrent.Semaphore permits = (java.util.concurrent.Semaphore) f.get(limiter);
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread giver =
        new Thread(
            () -> {
              while (!done.get() && !permits.hasQueuedThreads()) {
                Thread.onSpinWait();
              }
              held.close();
            });
    giver.setDaemon(true);
    giver.start();
    try {
      assertThat(limiter.verification("10.0.0.2", "owner-2")).isNotNull();
    } finally {
      done.set(true);
      giver.join(10_000);
    }
  }
}
