package io.blnk.auth.benchmarks;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A store wrapper counting reads by lookup id (with the hash) and by key id (without). Thread-safe. */
final class ReadCountingKeyStore implements KeyStore {

  private final KeyStore delegate;
  final AtomicInteger byLookupId = new AtomicInteger();
  final AtomicInteger byId = new AtomicInteger();

  ReadCountingKeyStore(KeyStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    return delegate.insert(key, maxActiveKeysPerOwner, now);
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    byLookupId.incrementAndGet();
    return delegate.findByLookupId(lookupId);
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    byId.incrementAndGet();
    return delegate.findById(id);
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
    delegate.recordLastUsed(lastUsed);
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    return delegate.subscribe(listener);
  }
}
