package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard's circuit on a hand-moved clock: when it opens, refuses, probes and closes again. */
final class StoreGuardTest {

  private static final Duration OPEN_FOR = Duration.ofSeconds(5);

  private final MutableClock clock = MutableClock.at("2026-03-05T12:00:00Z");
  private final StoreGuard guard = new StoreGuard(Duration.ofSeconds(10), OPEN_FOR, 2, clock);
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void close() {
    guard.close();
  }

  private String answer() {
    calls.incrementAndGet();
    return "ok";
  }

  private String fail() {
    calls.incrementAndGet();
    throw new StoreUnavailableException("find", "connection refused", null);
  }

  private void trip() {
    assertThatThrownBy(() -> guard.call("find", this::fail)).isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void aClosedCircuitRunsEveryCallOnAWorker() {
    assertThat(guard.call("find", () -> Thread.currentThread().getName())).startsWith("blnk-auth-store-");
    assertThat(guard.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(guard.refusals()).isZero();
  }

  @Test
  void aStoreFailureOpensTheCircuitAndIsRethrownWithTheWaitAsRetryAfter() {
    StoreUnavailableException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> guard.call("find", this::fail), StoreUnavailableException.class);

    assertThat(e.operation()).isEqualTo("find");
    assertThat(e).hasMessage("find: connection refused");
    assertThat(e.retryAfter()).contains(OPEN_FOR);
    assertThat(guard.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aFailureWithItsOwnRetryAfterIsRethrownAsItIs() {
    StoreUnavailableException own =
        new StoreUnavailableException("find", "busy", null, Duration.ofSeconds(1));

    assertThatThrownBy(() -> guard.call("find", () -> { throw own; })).isSameAs(own);
    assertThat(guard.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void whileOpenCallsAreRefusedAtOnceWithoutReachingTheStore() {
    trip();
    clock.advance(OPEN_FOR.minusNanos(1));

    StoreUnavailableException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> guard.call("lease", this::answer), StoreUnavailableException.class);

    assertThat(e).hasMessage("lease: circuit open after a store failure");
    assertThat(e.retryAfter()).contains(OPEN_FOR);
    assertThat(calls).hasValue(1);
    assertThat(guard.refusals()).isEqualTo(1);
    assertThat(guard.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void exactlyOpenForAfterTheFailureOneProbeRunsAndItsSuccessClosesTheCircuit() {
    trip();
    clock.advance(OPEN_FOR);
    assertThat(guard.state()).isEqualTo(CircuitState.HALF_OPEN);

    assertThat(guard.call("find", this::answer)).isEqualTo("ok");

    assertThat(guard.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(guard.call("find", this::answer)).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aFailedProbeOpensTheCircuitForAnotherFullWait() {
    trip();
    clock.advance(OPEN_FOR);
    trip();
    clock.advance(OPEN_FOR.minusNanos(1));

    assertThatThrownBy(() -> guard.call("find", this::answer))
        .hasMessage("find: circuit open after a store failure");
    assertThat(guard.state()).isEqualTo(CircuitState.OPEN);
    clock.advance(Duration.ofNanos(1));
    assertThat(guard.call("find", this::answer)).isEqualTo("ok");
  }

  @Test
  void otherFailuresOfTheWorkPassThroughWithoutOpeningTheCircuit() {
    IllegalStateException bug = new IllegalStateException("bug");
    AssertionError error = new AssertionError("error");

    assertThatThrownBy(() -> guard.call("find", () -> { throw bug; })).isSameAs(bug);
    assertThatThrownBy(() -> guard.call("find", () -> { throw error; })).isSameAs(error);
    assertThat(guard.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aCallMadeInsideACallRunsOnTheSameWorkerUnderTheOuterDeadline() {
    StoreGuard single = new StoreGuard(Duration.ofSeconds(10), OPEN_FOR, 1, clock);
    try {
      String[] names =
          single.call(
              "outer",
              () ->
                  new String[] {
                    Thread.currentThread().getName(),
                    single.call("inner", () -> Thread.currentThread().getName())
                  });

      assertThat(names[1]).isEqualTo(names[0]).startsWith("blnk-auth-store-");
    } finally {
      single.close();
    }
  }

  @Test
  void theProbesOwnInnerCallIsPartOfTheProbeNotRefusedAsASecondOne() {
    trip();
    clock.advance(OPEN_FOR);

    // A cluster rate-limit check as the probe, needing a credit lease inside it.
    String answer = guard.call("rateLimit", () -> guard.call("lease", this::answer));

    assertThat(answer).isEqualTo("ok");
    assertThat(guard.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(guard.refusals()).isZero();
  }

  @Test
  void anInnerFailureOpensTheCircuitOnceThroughTheOuterCall() {
    assertThatThrownBy(() -> guard.call("rateLimit", () -> guard.call("lease", this::fail)))
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> assertThat(((StoreUnavailableException) e).retryAfter()).hasValue(OPEN_FOR));

    assertThat(guard.state()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> guard.call("find", this::answer))
        .hasMessage("find: circuit open after a store failure");
  }

  @Test
  void backgroundWorkAndCallsAfterCloseRunAsAsked() {
    assertThat(guard.background("recordLastUsed", () -> Thread.currentThread().getName()))
        .startsWith("blnk-auth-store-");

    guard.close();

    assertThat(guard.call("find", () -> Thread.currentThread().getName()))
        .isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void halfwayThroughASecondTheWaitIsMeasuredInWholeNanoseconds() {
    trip();
    clock.advance(OPEN_FOR.plusMillis(500));

    assertThat(guard.call("find", this::answer)).isEqualTo("ok");
    assertThat(guard.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aCallThatSucceedsAfterAnotherTrippedTheCircuitClosesItAgain() throws Exception {
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<String> slow =
          caller.submit(
              () ->
                  guard.call(
                      "find",
                      () -> {
                        started.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return "late";
                      }));
      started.await();
      trip();
      assertThat(guard.state()).isEqualTo(CircuitState.OPEN);

      release.countDown();

      assertThat(slow.get()).isEqualTo("late");
      assertThat(guard.state()).isEqualTo(CircuitState.CLOSED);
    } finally {
      release.countDown();
      caller.shutdownNow();
    }
  }

  @Test
  void aCallOnAnotherGuardsWorkerIsStillJudgedByThisGuard() {
    StoreGuard other = new StoreGuard(Duration.ofSeconds(10), OPEN_FOR, 2, clock);
    try {
      trip();

      assertThatThrownBy(() -> other.call("outer", () -> guard.call("inner", this::answer)))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessage("inner: circuit open after a store failure");
      assertThat(calls).hasValue(1);
    } finally {
      other.close();
    }
  }

  @Test
  void workersNeverKeepTheJvmAlive() {
    assertThat(guard.call("find", () -> Thread.currentThread().isDaemon())).isTrue();
  }

  @Test
  void anInterruptedCallerIsRefusedAndKeepsItsInterrupt() {
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> guard.call("find", this::answer))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage("find: interrupted while waiting for the store");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(calls).hasValue(0);
  }
}
