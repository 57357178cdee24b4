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
import java.util.function.Supplier;

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

  private final KeyStore delegate;
  private final StoreGuard guard;

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
    this.guard = new StoreGuard(timeout, openFor, maxInFlight, clock);
  }

  /** The circuit's state now, for health checks and metrics. */
  CircuitState state() {
    return guard.state();
  }

  /** How many calls were refused at once because the circuit was open (a running total). */
  long refusals() {
    return guard.refusals();
  }

  /** The deadline and circuit of this store's calls, for other calls to the same database. */
  StoreGuard guard() {
    return guard;
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
    return guard.background("recordDigest", () -> delegate.recordDigest(id, keyDigest));
  }

  /** A background write: bounded by the deadline, but neither refused by nor tripping the circuit. */
  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    return guard.background("replaceHash", () -> delegate.replaceHash(id, expectedHash, newHash));
  }

  /**
   * A background write (and the flush in {@code BlnkAuth.close()}): bounded by the deadline, so a
   * hanging store cannot hold shutdown, but neither refused by nor tripping the circuit.
   */
  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    guard.background(
        "recordLastUsed",
        () -> {
          delegate.recordLastUsed(lastUsed);
          return null;
        });
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
    guard.close();
  }

  @Override
  public String toString() {
    return "GuardedKeyStore[" + delegate + ", " + guard.state() + "]";
  }

  private <T> T call(String operation, Supplier<T> work) {
    return guard.call(operation, work);
  }
}
