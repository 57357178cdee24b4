package io.blnk.auth;

import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline and a circuit for the calls a request thread makes to one database: the key store's
 * and the usage store's share one, so that a database found down by either is refused at once by
 * both (see {@link GuardedKeyStore} for the rules).
 *
 * <p>A call made from inside a guarded call (a usage store call inside a cluster rate-limit check)
 * runs on the calling worker, under the outer call's deadline: it never waits for a second worker.
 * Thread-safe.
 */
final class StoreGuard implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StoreGuard.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final long timeoutNanos;
  /** Background writes (large batches) get this much longer: 15 times the timeout. */
  private final long backgroundNanos;
  private final Duration openFor;
  private final long openForNanos;
  private final LongSupplier ticker;
  private final Semaphore inFlight;
  private final ThreadPoolExecutor workers;

  private volatile CircuitState state = CircuitState.CLOSED;
  private final AtomicLong openedAt = new AtomicLong();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final AtomicLong refusals = new AtomicLong();

  /** A worker of this guard, so that a nested call can tell it already runs under a deadline. */
  private final class Worker extends Thread {
    Worker(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }

    boolean of(StoreGuard guard) {
      return guard == StoreGuard.this;
    }
  }

  /**
   * A guard.
   *
   * @param timeout the longest a caller waits for one call
   * @param openFor how long the circuit stays open after a failure before a probe
   * @param maxInFlight the most calls running at once, abandoned ones included
   * @param clock the time source of the circuit (the deadline always uses real time)
   */
  StoreGuard(Duration timeout, Duration openFor, int maxInFlight, InstantSource clock) {
    this.timeoutNanos = Objects.requireNonNull(timeout, "timeout").toNanos();
    this.backgroundNanos = Math.multiplyExact(timeoutNanos, 15L);
    this.openFor = Objects.requireNonNull(openFor, "openFor");
    this.openForNanos = openFor.toNanos();
    Objects.requireNonNull(clock, "clock");
    this.ticker =
        clock.equals(InstantSource.system())
            ? System::nanoTime
            : () -> {
              Instant now = clock.instant();
              return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            };
    this.inFlight = new Semaphore(maxInFlight);
    int pool = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            maxInFlight,
            maxInFlight,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> new Worker(r, "blnk-auth-store-" + pool + "-" + threads.incrementAndGet()));
    this.workers.allowCoreThreadTimeOut(true);
  }

  /** The circuit's state now, for health checks and metrics. */
  CircuitState state() {
    CircuitState s = state;
    if (s == CircuitState.OPEN && !probing.get() && ticker.getAsLong() - openedAt.get() >= openForNanos) {
      return CircuitState.HALF_OPEN; // the next call is a probe
    }
    return s;
  }

  /** How many calls were refused at once because the circuit was open (a running total). */
  long refusals() {
    return refusals.get();
  }

  /** Whether this thread is one of this guard's workers, running a guarded call. */
  private boolean isNested() {
    return Thread.currentThread() instanceof Worker w && w.of(this);
  }

  /** Runs background work (never on a request thread) with a long deadline and no circuit. */
  <T> T background(String operation, Supplier<T> work) {
    return runWithDeadline(operation, work, backgroundNanos);
  }

  /** Stops the workers; later calls run on the caller's thread. */
  @Override
  public void close() {
    workers.shutdownNow();
  }

  /**
   * Runs a request thread's store call under the deadline and the circuit.
   *
   * @throws StoreUnavailableException at once while the circuit is open, or when the call failed
   *     or did not answer within the timeout (the circuit then opens)
   */
  <T> T call(String operation, Supplier<T> work) {
    if (isNested()) {
      // Part of an outer call: that call passed the circuit (it may be the probe) and runs under
      // its deadline; a failure here reaches it and opens the circuit there.
      return work.get();
    }
    boolean probe = false;
    if (state != CircuitState.CLOSED) {
      if (ticker.getAsLong() - openedAt.get() < openForNanos || !probing.compareAndSet(false, true)) {
        refusals.incrementAndGet();
        throw refused(operation, "circuit open after a store failure");
      }
      probe = true;
      state = CircuitState.HALF_OPEN;
    }
    try {
      T result = runWithDeadline(operation, work, timeoutNanos);
      if (probe || state != CircuitState.CLOSED) {
        if (probe) {
          LOG.info("store answers again: circuit closed");
        }
        state = CircuitState.CLOSED;
      }
      return result;
    } catch (StoreUnavailableException e) {
      trip(operation, e);
      throw e.retryAfter().isPresent()
          ? e
          : new StoreUnavailableException(e.operation(), reason(e), e, openFor);
    } finally {
      if (probe) {
        probing.set(false);
      }
    }
  }

  private void trip(String operation, StoreUnavailableException e) {
    openedAt.set(ticker.getAsLong());
    if (state != CircuitState.OPEN) {
      state = CircuitState.OPEN;
      LOG.warn(
          "store failed during {}: circuit open, refusing store calls for {} ({})",
          operation,
          openFor,
          e.getMessage());
    }
  }

  private static String reason(StoreUnavailableException e) {
    String m = e.getMessage();
    String prefix = e.operation() + ": ";
    return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
  }

  private StoreUnavailableException refused(String operation, String why) {
    return new StoreUnavailableException(operation, why, null, openFor);
  }

  private <T> T runWithDeadline(String operation, Supplier<T> work, long timeoutNanos) {
    if (workers.isShutdown()) {
      return work.get(); // closed: calls made after close() go straight through
    }
    if (isNested()) {
      return work.get(); // already under the outer call's deadline, on one of ours
    }
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      if (!inFlight.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
        throw refused(operation, "no store call finished within " + Duration.ofNanos(timeoutNanos));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw refused(operation, "interrupted while waiting for the store");
    }
    Future<T> future;
    try {
      future =
          workers.submit(
              () -> {
                try {
                  return work.get();
                } finally {
                  inFlight.release();
                }
              });
    } catch (RejectedExecutionException e) {
      inFlight.release();
      throw refused(operation, "the store guard is closed");
    }
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw refused(
          operation, "no answer within " + Duration.ofNanos(timeoutNanos) + " (call abandoned)");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw refused(operation, "interrupted while waiting for the store");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new StoreUnavailableException(operation, String.valueOf(cause), cause, openFor);
    }
  }
}
