package io.blnk.auth.store;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
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
final class InMemoryKeyStore implements KeyStore {

  private static final Logger LOG = LoggerFactory.getLogger(InMemoryKeyStore.class);

  static final Comparator<ApiKey> NEWEST_FIRST =
      Comparator.comparing(ApiKey::createdAt)
          .thenComparing(k -> k.id().value())
          .reversed();

  private final Map<ApiKeyId, StoredKey> byId = new HashMap<>();
  private final Map<String, ApiKeyId> byLookupId = new HashMap<>();
  private final Map<String, ApiKeyId> byDigest = new HashMap<>();
  private final Map<OwnerId, List<ApiKeyId>> byOwner = new HashMap<>();
  private final List<KeyChangeListener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public synchronized InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    requirePositive(maxActiveKeysPerOwner);
    if (byId.containsKey(key.key().id()) || byLookupId.containsKey(key.lookupId())
        || key.keyDigest().filter(byDigest::containsKey).isPresent()) {
      return new InsertResult.Duplicate();
    }
    if (activeKeys(key.key().ownerId(), null, now) >= maxActiveKeysPerOwner) {
      return new InsertResult.LimitReached(maxActiveKeysPerOwner);
    }
    Optional<ApiKeyId> creator = key.key().createdBy();
    if (creator.isPresent() && !key.key().revoked()) {
      StoredKey c = byId.get(creator.get());
      if (c != null && c.key().revoked()) {
        return new InsertResult.CreatorRevoked(creator.get());
      }
    }
    put(key);
    return new InsertResult.Inserted(key.key());
  }

  private void put(StoredKey key) {
    byId.put(key.key().id(), key);
    byLookupId.put(key.lookupId(), key.key().id());
    key.keyDigest().ifPresent(d -> byDigest.put(d, key.key().id()));
    byOwner.computeIfAbsent(key.key().ownerId(), o -> new ArrayList<>()).add(key.key().id());
  }

  /** The owner's keys valid at {@code now}, not counting {@code except}. */
  private int activeKeys(OwnerId owner, ApiKeyId except, Instant now) {
    int count = 0;
    for (ApiKeyId id : byOwner.getOrDefault(owner, List.of())) {
      if (!id.equals(except) && byId.get(id).key().validAt(now)) {
        count++;
      }
    }
    return count;
  }

  static void requirePositive(int maxActiveKeysPerOwner) {
    if (maxActiveKeysPerOwner < 1) {
      throw new IllegalArgumentException(
          "maxActiveKeysPerOwner must be at least 1, was " + maxActiveKeysPerOwner);
    }
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
    for (ApiKeyId id : byOwner.getOrDefault(owner, List.of())) {
      out.add(byId.get(id).key());
    }
    out.sort(NEWEST_FIRST);
    return List.copyOf(out);
  }

  @Override
  public RevokeResult revoke(ApiKeyId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    ApiKey revoked;
    synchronized (this) {
      StoredKey stored = byId.get(id);
      if (stored == null) {
        return new RevokeResult.NotFound();
      }
      if (stored.key().revoked()) {
        return new RevokeResult.AlreadyRevoked(stored.key());
      }
      stored = stored.withKey(stored.key().withRevokedAt(Optional.of(at)));
      byId.put(id, stored);
      revoked = stored.key();
    }
    notifyChanged(id);
    return new RevokeResult.Revoked(revoked);
  }

  @Override
  public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(old, "old");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(now, "now");
    requirePositive(maxActiveKeysPerOwner);
    ApiKey capped;
    synchronized (this) {
      StoredKey stored = byId.get(old);
      if (stored == null) {
        return new RotateResult.NotFound();
      }
      if (!stored.key().validAt(now) || stored.key().disabled()) {
        return new RotateResult.NotActive(stored.key());
      }
      if (byId.containsKey(replacement.key().id())
          || byLookupId.containsKey(replacement.lookupId())
          || replacement.keyDigest().filter(byDigest::containsKey).isPresent()) {
        return new RotateResult.Collision();
      }
      if (activeKeys(replacement.key().ownerId(), old, now) >= maxActiveKeysPerOwner) {
        return new RotateResult.LimitReached(maxActiveKeysPerOwner);
      }
      put(replacement);
      ApiKey.Builder next = stored.key().toBuilder().rotatedTo(Optional.of(replacement.key().id()));
      Optional<Instant> expiry = stored.key().expiresAt();
      if (expiry.isEmpty() || expiry.get().isAfter(notAfter)) {
        next.expiresAt(Optional.of(notAfter));
      }
      stored = stored.withKey(next.build());
      byId.put(old, stored);
      capped = stored.key();
    }
    notifyChanged(old);
    return new RotateResult.Rotated(capped);
  }

  @Override
  public UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(now, "now");
    requireSameId(expected, replacement);
    ApiKey updated;
    synchronized (this) {
      StoredKey stored = byId.get(expected.id());
      if (stored == null) {
        return new UpdateResult.NotFound();
      }
      ApiKey current = stored.key();
      if (!current.validAt(now)) {
        return new UpdateResult.NotActive(current);
      }
      if (!sameApartFromLastUse(current, expected)) {
        return new UpdateResult.Conflict(current);
      }
      updated = applyMutable(current, replacement);
      byId.put(current.id(), stored.withKey(updated));
    }
    notifyChanged(updated.id());
    return new UpdateResult.Updated(updated);
  }

  /** Throws unless both keys have one id. */
  private static void requireSameId(ApiKey expected, ApiKey replacement) {
    if (!expected.id().equals(replacement.id())) {
      throw new IllegalArgumentException(
          "replacement " + replacement.id() + " is not key " + expected.id());
    }
  }

  /** Whether two rows agree on everything but {@code lastUsedAt}. */
  private static boolean sameApartFromLastUse(ApiKey a, ApiKey b) {
    return a.withLastUsedAt(Optional.empty()).equals(b.withLastUsedAt(Optional.empty()));
  }

  /** {@code current} with the fields an update may change taken from {@code replacement}. */
  private static ApiKey applyMutable(ApiKey current, ApiKey replacement) {
    return current.toBuilder()
        .name(replacement.name())
        .scopes(replacement.scopes())
        .expiresAt(replacement.expiresAt())
        .metaData(replacement.metaData())
        .allowedIps(replacement.allowedIps())
        .disabledAt(replacement.disabledAt())
        .usage(
            current.usage()
                .withRateLimits(replacement.usage().rateLimits())
                .withCredits(replacement.usage().credits()))
        .build();
  }

  @Override
  public CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(at, "at");
    List<ApiKey> revoked = new ArrayList<>();
    ApiKey rootNow;
    synchronized (this) {
      if (!byId.containsKey(root)) {
        return new CascadeResult.NotFound();
      }
      java.util.ArrayDeque<ApiKeyId> queue = new java.util.ArrayDeque<>();
      java.util.Set<ApiKeyId> seen = new java.util.HashSet<>();
      queue.add(root);
      seen.add(root);
      while (!queue.isEmpty()) {
        ApiKeyId id = queue.poll();
        StoredKey stored = byId.get(id);
        if (!stored.key().revoked()) {
          stored = stored.withKey(stored.key().withRevokedAt(Optional.of(at)));
          byId.put(id, stored);
          revoked.add(stored.key());
        }
        for (StoredKey other : byId.values()) {
          ApiKey k = other.key();
          boolean child =
              k.createdBy().filter(id::equals).isPresent()
                  || k.rotatedFrom().filter(id::equals).isPresent();
          if (child && seen.add(k.id())) {
            queue.add(k.id());
          }
        }
      }
      rootNow = byId.get(root).key();
    }
    for (ApiKey k : revoked) {
      notifyChanged(k.id());
    }
    return new CascadeResult.Revoked(rootNow, revoked);
  }

  @Override
  public synchronized Optional<StoredKey> findByDigest(String keyDigest) {
    Objects.requireNonNull(keyDigest, "keyDigest");
    ApiKeyId id = byDigest.get(keyDigest);
    return id == null ? Optional.empty() : Optional.of(byId.get(id));
  }

  @Override
  public synchronized boolean recordDigest(ApiKeyId id, String keyDigest) {
    Objects.requireNonNull(id, "id");
    StoredKey.requireDigest(keyDigest);
    StoredKey stored = byId.get(id);
    if (stored == null || stored.keyDigest().isPresent() || byDigest.containsKey(keyDigest)) {
      return false;
    }
    byId.put(id, stored.withKeyDigest(keyDigest));
    byDigest.put(keyDigest, id);
    return true;
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

  private final io.blnk.auth.usage.UsageStore usage = io.blnk.auth.usage.UsageStore.inMemory();

  @Override
  public java.util.Optional<io.blnk.auth.usage.UsageStore> usageStore() {
    return java.util.Optional.of(usage);
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
