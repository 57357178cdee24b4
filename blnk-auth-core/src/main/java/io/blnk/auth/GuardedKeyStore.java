package io.blnk.auth;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.CascadeResult;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import io.blnk.auth.store.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * Puts a deadline and a circuit in front of any {@link KeyStore}, so that a store that is down or
 * hangs never holds a request thread longer than the timeout.
 *
 * <ul>
 *   <li><b>Deadline.</b> Every call a request thread makes (insert, lookups, listings, revoke,
 *       rotate) runs on a worker thread; the caller waits at most the timeout (waiting for a free
 *       worker included), then gets a {@link StoreUnavailableException}. An abandoned call is
 *       interrupted and keeps its worker until it returns, and at most {@code maxInFlight} calls
 *       run at once, so a hanging data source ties up a bounded number of threads.
 *   <li><b>Circuit.</b> A failed or timed-out call opens the circuit: for {@code openFor} every
 *       call is refused at once with a {@code StoreUnavailableException} whose {@link
 *       StoreUnavailableException#retryAfter()} is {@code openFor}. Then one call at a time goes
 *       through as a probe (half-open) while the others are still refused; a probe that succeeds
 *       closes the circuit, one that fails opens it again.
 * </ul>
 *
 * <p>Background work ({@code replaceHash}, {@code recordLastUsed}) gets a deadline 15 times longer
 * (a batch may be large) but not the circuit: it never runs on a request thread, and a slow batch must not refuse requests. {@code
 * subscribe} goes straight to the wrapped store. {@link #close()} stops the
 * workers and leaves the wrapped store open (it belongs to the host). Thread-safe.
 */
final class GuardedKeyStore implements KeyStore {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedKeyStore.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final KeyStore delegate;
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

  /**
   * Wraps {@code delegate}.
   *
   * @param delegate the store to guard
   * @param timeout the longest a caller waits for one call
   * @param openFor how long the circuit stays open after a failure before a probe
   * @param maxInFlight the most calls running at once, abandoned ones included
   * @param clock the time source of the circuit (the deadline always uses real time)
   */
  GuardedKeyStore(
      KeyStore delegate, Duration timeout, Duration openFor, int maxInFlight, InstantSource clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
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
            r -> {
              Thread t =
                  new Thread(r, "blnk-auth-store-" + pool + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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

  /** The wrapped store. */
  KeyStore delegate() {
    return delegate;
  }

  // ---------------------------------------------------------------- guarded calls

  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    return call("insert", () -> delegate.insert(key, maxActiveKeysPerOwner, now));
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    Objects.requireNonNull(lookupId, "lookupId");
    return call("findByLookupId", () -> delegate.findByLookupId(lookupId));
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    Objects.requireNonNull(id, "id");
    return call("findById", () -> delegate.findById(id));
  }

  @Override
  public List<ApiKey> listByOwner(OwnerId owner) {
    Objects.requireNonNull(owner, "owner");
    return call("listByOwner", () -> delegate.listByOwner(owner));
  }

  @Override
  public RevokeResult revoke(ApiKeyId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    return call("revoke", () -> delegate.revoke(id, at));
  }

  @Override
  public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
    return call(
        "rotate", () -> delegate.rotate(replacement, old, notAfter, now, maxActiveKeysPerOwner));
  }

  @Override
  public UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    return call("update", () -> delegate.update(expected, replacement, now));
  }

  @Override
  public CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(at, "at");
    return call("revokeCascade", () -> delegate.revokeCascade(root, at));
  }

  @Override
  public Optional<StoredKey> findByDigest(String keyDigest) {
    Objects.requireNonNull(keyDigest, "keyDigest");
    return call("findByDigest", () -> delegate.findByDigest(keyDigest));
  }

  // ---------------------------------------------------------------- background: deadline only

  /** A background write: bounded by the deadline, but neither refused by nor tripping the circuit. */
  @Override
  public boolean recordDigest(ApiKeyId id, String keyDigest) {
    return runWithDeadline(
        "recordDigest", () -> delegate.recordDigest(id, keyDigest), backgroundNanos);
  }

  /** A background write: bounded by the deadline, but neither refused by nor tripping the circuit. */
  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    return runWithDeadline(
        "replaceHash", () -> delegate.replaceHash(id, expectedHash, newHash), backgroundNanos);
  }

  /**
   * A background write (and the flush in {@code BlnkAuth.close()}): bounded by the deadline, so a
   * hanging store cannot hold shutdown, but neither refused by nor tripping the circuit.
   */
  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    runWithDeadline(
        "recordLastUsed",
        () -> {
          delegate.recordLastUsed(lastUsed);
          return null;
        },
        backgroundNanos);
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    return delegate.subscribe(listener);
  }

  @Override
  public java.util.Optional<io.blnk.auth.usage.UsageStore> usageStore() {
    return delegate.usageStore();
  }

  /**
   * Stops the worker threads; calls made afterwards go straight to the wrapped store, without a
   * deadline. The wrapped store stays open.
   */
  @Override
  public void close() {
    workers.shutdownNow();
  }

  @Override
  public String toString() {
    return "GuardedKeyStore[" + delegate + ", " + state() + "]";
  }

  // ---------------------------------------------------------------- the circuit

  private <T> T call(String operation, Supplier<T> work) {
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
          LOG.info("key store answers again: circuit closed");
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
          "key store failed during {}: circuit open, refusing store calls for {} ({})",
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
