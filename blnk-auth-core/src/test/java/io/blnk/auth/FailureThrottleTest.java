package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The throttle's sliding window at its edges, on a hand-moved ticker: exactly {@code limit}
 * attempts per window, a slot frees exactly one window after it was taken, the wait it reports is
 * exact, and a released slot is reusable once.
 */
final class FailureThrottleTest {

  private static final Duration WINDOW = Duration.ofSeconds(10);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final FailureThrottle throttle = new FailureThrottle(2, WINDOW, 1_000, nanos::get);

  @Test
  void theLimitIsExactAndTheRefusalSaysExactlyHowLongToWait() {
    assertThat(throttle.reserve("id").refused()).isFalse();
    nanos.addAndGet(3_000_000_000L);
    assertThat(throttle.reserve("id").refused()).isFalse();
    nanos.addAndGet(1_000_000_000L);

    FailureThrottle.Reservation refused = throttle.reserve("id");

    assertThat(refused.refused()).isTrue();
    // The oldest slot was taken 4 s ago: it frees in 6 s.
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(6));
    // Other ids have their own window.
    assertThat(throttle.reserve("other").refused()).isFalse();
  }

  @Test
  void aSlotFreesExactlyOneWindowAfterItWasTaken() {
    throttle.reserve("id");
    throttle.reserve("id");
    nanos.addAndGet(WINDOW.toNanos() - 1);
    assertThat(throttle.reserve("id").refused()).isTrue();

    nanos.addAndGet(1);

    FailureThrottle.Reservation again = throttle.reserve("id");
    assertThat(again.refused()).isFalse();
    assertThat(again.retryAfter()).isEqualTo(Duration.ZERO);
  }

  @Test
  void aReleasedSlotIsFreeAgainAndReleasingTwiceFreesNoOtherSlot() {
    FailureThrottle.Reservation first = throttle.reserve("id");
    throttle.reserve("id");
    first.release();

    FailureThrottle.Reservation third = throttle.reserve("id");
    assertThat(third.refused()).isFalse();
    // The first reservation's slot now belongs to the third: releasing the first again is a no-op.
    first.release();
    assertThat(throttle.reserve("id").refused()).isTrue();
  }

  @Test
  void aLateReleaseDoesNotFreeASlotThatWasTakenAgain() {
    FailureThrottle.Reservation first = throttle.reserve("id");
    nanos.addAndGet(5_000_000_000L);
    throttle.reserve("id");
    nanos.addAndGet(5_000_000_000L);
    // first's slot has expired and is taken again; first's late release must not free it.
    assertThat(throttle.reserve("id").refused()).isFalse();

    first.release();

    assertThat(throttle.reserve("id").refused()).isTrue();
  }

  @Test
  void aRefusalHoldsNoSlotAndReleasingItDoesNothing() {
    throttle.reserve("id");
    throttle.reserve("id");
    FailureThrottle.Reservation refused = throttle.reserve("id");
    refused.release();
    assertThat(throttle.reserve("id").refused()).isTrue();
  }
}
