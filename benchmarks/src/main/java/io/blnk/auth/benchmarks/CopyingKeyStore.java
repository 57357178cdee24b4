package io.blnk.auth.benchmarks;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory store that behaves like a database for heap accounting: every lookup returns fresh
 * objects (as a JDBC row mapper would), so a cache that keeps them is charged for them, and {@code
 * last_used_at} writes go nowhere (a database keeps them on disk). Thread-safe.
 */
final class CopyingKeyStore implements KeyStore {

  private final KeyStore delegate;

  CopyingKeyStore(KeyStore delegate) {
    this.delegate = delegate;
  }

  /** A deep copy of a record, sharing no string with the original. */
  static ApiKey copy(ApiKey k) {
    return copyCore(k).toBuilder()
        .disabledAt(k.disabledAt().map(i -> Instant.ofEpochSecond(i.getEpochSecond(), i.getNano())))
        .metaData(k.metaData().map(CopyingKeyStore::fresh))
        .allowedIps(
            io.blnk.auth.key.IpAllowList.parse(
                k.allowedIps().ranges().stream().map(CopyingKeyStore::fresh).toList()))
        .rotatedFrom(k.rotatedFrom().map(id -> new ApiKeyId(fresh(id.value()))))
        .rotatedTo(k.rotatedTo().map(id -> new ApiKeyId(fresh(id.value()))))
        .build();
  }

  private static ApiKey copyCore(ApiKey k) {
    return new ApiKey(
        new ApiKeyId(fresh(k.id().value())),
        fresh(k.name()),
        new OwnerId(fresh(k.ownerId().value())),
        ScopeSet.parse(k.scopes().toStrings()),
        k.expiresAt().map(i -> Instant.ofEpochSecond(i.getEpochSecond(), i.getNano())),
        Instant.ofEpochSecond(k.createdAt().getEpochSecond(), k.createdAt().getNano()),
        k.lastUsedAt().map(i -> Instant.ofEpochSecond(i.getEpochSecond(), i.getNano())),
        k.revokedAt().map(i -> Instant.ofEpochSecond(i.getEpochSecond(), i.getNano())),
        k.createdBy().map(id -> new ApiKeyId(fresh(id.value()))),
        fresh(k.keyPrefix()));
  }

  /** A string equal to {@code s} with its own character array. */
  static String fresh(String s) {
    return new String(s.toCharArray());
  }

  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    return delegate.insert(key, maxActiveKeysPerOwner, now);
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    return delegate
        .findByLookupId(lookupId)
        .map(
            s ->
                new StoredKey(
                    copy(s.key()),
                    fresh(s.lookupId()),
                    fresh(s.keyHash()),
                    s.keyDigest().map(CopyingKeyStore::fresh)));
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    return delegate.findById(id).map(CopyingKeyStore::copy);
  }

  @Override
  public List<ApiKey> listByOwner(OwnerId owner) {
    return delegate.listByOwner(owner);
  }

  @Override
  public RevokeResult revoke(ApiKeyId id, Instant at) {
    return delegate.revoke(id, at);
  }

  @Override
  public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
    return delegate.rotate(replacement, old, notAfter, now, maxActiveKeysPerOwner);
  }

  @Override
  public io.blnk.auth.store.UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    return delegate.update(expected, replacement, now);
  }

  @Override
  public io.blnk.auth.store.CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    return delegate.revokeCascade(root, at);
  }

  @Override
  public Optional<StoredKey> findByDigest(String keyDigest) {
    return delegate.findByDigest(keyDigest);
  }

  @Override
  public boolean recordDigest(ApiKeyId id, String keyDigest) {
    return delegate.recordDigest(id, keyDigest);
  }

  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    return delegate.replaceHash(id, expectedHash, newHash);
  }

  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    // A database writes these to disk; keeping them here would charge the cache for the store.
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    return delegate.subscribe(listener);
  }
}
