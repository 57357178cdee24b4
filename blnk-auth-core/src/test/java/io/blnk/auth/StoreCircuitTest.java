package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.StoreUnavailableException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline and circuit in front of the store: a hanging or failing store costs a request
 * thread at most the timeout once, then uncached keys are refused at once with a Retry-After until
 * a probe succeeds; the master key and cached keys never wait. The circuit's time is the fixture's
 * hand-moved clock; only the deadline is real time (bounds here are generous).
 */
final class StoreCircuitTest {

  // Long enough that "at once" cannot be confused with "after the timeout" on a busy machine.
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger hanging = new AtomicInteger();
  private final AtomicInteger entered = new AtomicInteger();
  private final AtomicInteger maxHanging = new AtomicInteger();
  private final Fixture f =
      new Fixture(b -> b.storeTimeouts(TIMEOUT, RETRY_AFTER, 4));

  @AfterEach
  void close() {
    release.countDown();
    f.close();
  }

  private void hangLookups() {
    f.store.afterLookup =
        () -> {
          entered.incrementAndGet();
          maxHanging.accumulateAndGet(hanging.incrementAndGet(), Math::max);
          try {
            release.await();
          } catch (InterruptedException e) {
            // Abandoned by the guard: stop waiting, as a driver honouring interrupts would.
            Thread.currentThread().interrupt();
          } finally {
            hanging.decrementAndGet();
          }
        };
  }

  private static String unknownKey() {
    return KeyFormat.blnk().generate(new SecureRandom()).reveal();
  }

  private static AuthResult.Denied denied(AuthResult r) {
    assertThat(r).isInstanceOf(AuthResult.Denied.class);
    return (AuthResult.Denied) r;
  }

  @Test
  void aHangingStoreCostsOneTimeoutThenUncachedKeysAreRefusedAtOnceWithRetryAfter() throws Exception {
    String cached = f.create("ledgers:read").plaintext().reveal();
    String uncached = f.create("ledgers:read").plaintext().reveal();
    assertThat(f.auth.authenticate(cached, "").granted()).isTrue();
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.CLOSED);
    hangLookups();

    long start = System.nanoTime();
    AuthResult.Denied first = denied(f.auth.authenticate(uncached, ""));
    long firstMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(first.code()).isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
    assertThat(first.retryAfter()).isEqualTo(RETRY_AFTER);
    assertThat(firstMillis).as("waited about the timeout, not forever").isBetween(900L, 10_000L);
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.OPEN);

    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Long>> refusals = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String key = i % 2 == 0 ? unknownKey() : uncached;
        refusals.add(
            pool.submit(
                () -> {
                  long t = System.nanoTime();
                  AuthResult.Denied d = denied(f.auth.authenticate(key, ""));
                  assertThat(d.code()).isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
                  assertThat(d.retryAfter()).isEqualTo(RETRY_AFTER);
                  return System.nanoTime() - t;
                }));
      }
      for (Future<Long> r : refusals) {
        assertThat(Duration.ofNanos(r.get(30, TimeUnit.SECONDS)))
            .as("refused at once, never waiting for the timeout")
            .isLessThan(TIMEOUT);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String key : new String[] {cached, Fixture.MASTER}) {
      long t = System.nanoTime();
      assertThat(f.auth.decide(key, f.resource("ledgers"), "GET", "").granted()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofMillis(50));
    }
    assertThat(f.auth.storeCallsRefused()).as("the 100 unknown keys at least").isGreaterThanOrEqualTo(100);
  }

  @Test
  void abandonedCallsAreBoundedByTheInFlightLimit() throws Exception {
    hangLookups();
    for (int i = 0; i < 10; i++) {
      denied(f.auth.authenticate(unknownKey(), ""));
      f.clock.advance(RETRY_AFTER); // each call is a probe that times out
    }

    assertThat(maxHanging.get()).as("calls stuck in the store at once").isBetween(1, 4);
  }

  @Test
  void afterTheRetryAfterOneProbeAtATimeTestsTheStoreAndItsSuccessClosesTheCircuit() throws Exception {
    String uncached = f.create("ledgers:read").plaintext().reveal();
    hangLookups();
    denied(f.auth.authenticate(uncached, ""));
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.OPEN);

    f.clock.advance(RETRY_AFTER);
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.HALF_OPEN);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<AuthResult> probe = pool.submit(() -> f.auth.authenticate(uncached, ""));
      // Counted by entries, not by calls still hanging: the first call's abandoned worker may
      // not have run since the guard cancelled it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (entered.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(entered.get()).as("the first call, then the probe, reached the store").isEqualTo(2);
      long t = System.nanoTime();
      assertThat(denied(f.auth.authenticate(unknownKey(), "")).code())
          .isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - t))
          .as("refused at once while the probe runs")
          .isLessThan(TIMEOUT);
      assertThat(denied(probe.get(10, TimeUnit.SECONDS)).code())
          .isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
    } finally {
      pool.shutdownNow();
    }
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.OPEN);

    f.store.afterLookup = () -> {};
    assertThat(denied(f.auth.authenticate(uncached, "")).code())
        .as("still open: the failed probe restarted the wait")
        .isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
    f.clock.advance(RETRY_AFTER);
    assertThat(f.auth.authenticate(uncached, "").granted()).as("recovered without a restart").isTrue();
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aFailingStoreOpensTheCircuitForKeyManagementToo() {
    f.store.unavailable = true;
    assertThatThrownBy(() -> f.create("ledgers:read")).isInstanceOf(StoreUnavailableException.class);
    f.store.unavailable = false;

    assertThatThrownBy(() -> f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-a")))
        .isInstanceOfSatisfying(
            StoreUnavailableException.class,
            e -> assertThat(e.retryAfter()).contains(RETRY_AFTER));

    f.clock.advance(RETRY_AFTER);
    assertThat(f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-a")).orElseThrow()).isEmpty();
    assertThat(f.auth.storeCircuitState()).isEqualTo(CircuitState.CLOSED);
  }
}
