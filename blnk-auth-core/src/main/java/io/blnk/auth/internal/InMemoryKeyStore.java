package io.blnk.auth.internal;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KeyStore} in memory. Writes take one lock, so each is atomic; reads take it too, which
 * is fine for a store whose hot path is served by the authenticator's cache.
 */
public final class InMemoryKeyStore implements KeyStore {

  private static final Logger LOG = LoggerFactory.getLogger(InMemoryKeyStore.class);

  static final Comparator<ApiKey> NEWEST_FIRST =
      Comparator.comparing(ApiKey::createdAt)
          .thenComparing(k -> k.id().value())
          .reversed();

  private final Map<ApiKeyId, StoredKey> byId = new HashMap<>();
  private final Map<String, ApiKeyId> byLookupId = new HashMap<>();
  private final List<KeyChangeListener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public synchronized boolean insert(StoredKey key) {
    Objects.requireNonNull(key, "key");
    if (byId.containsKey(key.key().id()) || byLookupId.containsKey(key.lookupId())) {
      return false;
    }
    byId.put(key.key().id(), key);
    byLookupId.put(key.lookupId(), key.key().id());
    return true;
  }

  @Override
  public synchronized Optional<StoredKey> findByLookupId(String lookupId) {
    Objects.requireNonNull(lookupId, "lookupId");
    ApiKeyId id = byLookupId.get(lookupId);
    return id == null ? Optional.empty() : Optional.of(byId.get(id));
  }

  @Override
  public synchronized Optional<ApiKey> findById(ApiKeyId id) {
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(byId.get(id)).map(StoredKey::key);
  }

  @Override
  public synchronized List<ApiKey> listByOwner(OwnerId owner) {
    Objects.requireNonNull(owner, "owner");
    List<ApiKey> out = new ArrayList<>();
    for (StoredKey stored : byId.values()) {
      if (stored.key().ownerId().equals(owner)) {
        out.add(stored.key());
      }
    }
    out.sort(NEWEST_FIRST);
    return List.copyOf(out);
  }

  @Override
  public Optional<ApiKey> revoke(ApiKeyId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Optional<ApiKey> result;
    boolean changed = false;
    synchronized (this) {
      StoredKey stored = byId.get(id);
      if (stored == null) {
        return Optional.empty();
      }
      if (!stored.key().revoked()) {
        stored = stored.withKey(stored.key().withRevokedAt(Optional.of(at)));
        byId.put(id, stored);
        changed = true;
      }
      result = Optional.of(stored.key());
    }
    if (changed) {
      notifyChanged(id);
    }
    return result;
  }

  @Override
  public Optional<ApiKey> rotate(StoredKey replacement, ApiKeyId old, Instant notAfter) {
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(old, "old");
    Objects.requireNonNull(notAfter, "notAfter");
    ApiKey capped;
    synchronized (this) {
      StoredKey stored = byId.get(old);
      if (stored == null) {
        return Optional.empty();
      }
      if (!insert(replacement)) {
        throw new IllegalStateException("replacement key id or lookup id already exists");
      }
      Optional<Instant> expiry = stored.key().expiresAt();
      if (expiry.isEmpty() || expiry.get().isAfter(notAfter)) {
        stored = stored.withKey(stored.key().withExpiresAt(Optional.of(notAfter)));
        byId.put(old, stored);
      }
      capped = stored.key();
    }
    notifyChanged(old);
    return Optional.of(capped);
  }

  @Override
  public synchronized boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    StoredKey stored = byId.get(id);
    if (stored == null || !stored.keyHash().equals(expectedHash)) {
      return false;
    }
    byId.put(id, stored.withKeyHash(newHash));
    return true;
  }

  @Override
  public synchronized void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    for (Map.Entry<ApiKeyId, Instant> e : lastUsed.entrySet()) {
      StoredKey stored = byId.get(e.getKey());
      if (stored == null) {
        continue;
      }
      Optional<Instant> current = stored.key().lastUsedAt();
      if (current.isEmpty() || current.get().isBefore(e.getValue())) {
        byId.put(e.getKey(), stored.withKey(stored.key().withLastUsedAt(Optional.of(e.getValue()))));
      }
    }
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Tells every listener; one that throws neither stops the others nor fails the write. */
  private void notifyChanged(ApiKeyId id) {
    for (KeyChangeListener listener : listeners) {
      try {
        listener.keyChanged(id);
      } catch (RuntimeException e) {
        LOG.warn("a key change listener failed on {}", id, e);
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "InMemoryKeyStore[" + byId.size() + " keys]";
  }
}
