package io.blnk.auth;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store wrapper that counts lookups and last-use writes, and can be switched to fail as an
 * unreachable database would. Thread-safe.
 */
final class CountingKeyStore implements KeyStore {

  private final KeyStore delegate;
  final AtomicInteger lookups = new AtomicInteger();
  /** Reads by key id ({@link #findById}): how proven keys' records are reloaded. */
  final AtomicInteger readsById = new AtomicInteger();
  /** Keys whose rows this store pretends were deleted by hand. */
  final java.util.Set<ApiKeyId> gone = java.util.concurrent.ConcurrentHashMap.newKeySet();
  final AtomicInteger replacedHashes = new AtomicInteger();
  final AtomicInteger replaceHashCalls = new AtomicInteger();
  /** Runs at the start of every {@link #replaceHash}, e.g. a pause that fills the rehash queue. */
  volatile Runnable beforeReplaceHash = () -> {};
  final List<Map<ApiKeyId, Instant>> lastUsedBatches = new CopyOnWriteArrayList<>();
  volatile boolean unavailable;
  volatile boolean lastUsedUnavailable;
  /** Runs after every lookup has read its row, e.g. a pause that widens a race window. */
  volatile Runnable afterLookup = () -> {};

  CountingKeyStore(KeyStore delegate) {
    this.delegate = delegate;
  }

  CountingKeyStore() {
    this(KeyStore.inMemory());
  }

  private void check(String operation) {
    if (unavailable) {
      throw new StoreUnavailableException(operation, "connection refused (test)", null);
    }
  }

  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    check("insert");
    return delegate.insert(key, maxActiveKeysPerOwner, now);
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    lookups.incrementAndGet();
    check("findByLookupId");
    Optional<StoredKey> found = delegate.findByLookupId(lookupId);
    afterLookup.run();
    return found;
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    readsById.incrementAndGet();
    check("findById");
    return gone.contains(id) ? Optional.empty() : delegate.findById(id);
  }

  @Override
  public List<ApiKey> listByOwner(OwnerId owner) {
    check("listByOwner");
    return delegate.listByOwner(owner);
  }

  @Override
  public RevokeResult revoke(ApiKeyId id, Instant at) {
    check("revoke");
    return delegate.revoke(id, at);
  }

  @Override
  public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
    check("rotate");
    return delegate.rotate(replacement, old, notAfter, now, maxActiveKeysPerOwner);
  }

  @Override
  public io.blnk.auth.store.UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    check("update");
    return delegate.update(expected, replacement, now);
  }

  @Override
  public io.blnk.auth.store.CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    check("revokeCascade");
    return delegate.revokeCascade(root, at);
  }

  @Override
  public Optional<StoredKey> findByDigest(String keyDigest) {
    check("findByDigest");
    return delegate.findByDigest(keyDigest);
  }

  @Override
  public boolean recordDigest(ApiKeyId id, String keyDigest) {
    check("recordDigest");
    return delegate.recordDigest(id, keyDigest);
  }

  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    replaceHashCalls.incrementAndGet();
    beforeReplaceHash.run();
    check("replaceHash");
    boolean replaced = delegate.replaceHash(id, expectedHash, newHash);
    if (replaced) {
      replacedHashes.incrementAndGet();
    }
    return replaced;
  }

  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    check("recordLastUsed");
    if (lastUsedUnavailable) {
      throw new StoreUnavailableException("recordLastUsed", "connection refused (test)", null);
    }
    lastUsedBatches.add(Map.copyOf(lastUsed));
    delegate.recordLastUsed(lastUsed);
  }

  /** While true, the wrapped store's change feed is not passed on: changes made "elsewhere". */
  volatile boolean feedMuted;
  /** The last subscriber, so a test can play the feed by hand. */
  volatile KeyChangeListener subscriber;

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    subscriber = listener;
    return delegate.subscribe(new KeyChangeListener() {
      @Override
      public void keyChanged(ApiKeyId id) {
        if (!feedMuted) {
          listener.keyChanged(id);
        }
      }

      @Override
      public void changesMayHaveBeenMissed() {
        listener.changesMayHaveBeenMissed();
      }
    });
  }

  /** The stored record, hash included, straight from the wrapped store (not counted). */
  StoredKey stored(String lookupId) {
    return delegate.findByLookupId(lookupId).orElseThrow();
  }
}
