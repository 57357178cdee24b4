package io.blnk.auth.testing;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.CascadeResult;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import io.blnk.auth.store.UpdateResult;
import io.blnk.auth.usage.UsageStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KeyStore} that passes every call to another: a test overrides only the calls it counts,
 * fails or races, and inherits the rest. {@link #close()} is not passed on (the wrapped store
 * belongs to the test).
 */
public abstract class ForwardingKeyStore implements KeyStore {

  private final KeyStore delegate;

  /**
   * Forwards to {@code delegate}.
   *
   * @param delegate the store every call goes to
   */
  protected ForwardingKeyStore(KeyStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * The wrapped store.
   *
   * @return the store every call goes to
   */
  protected KeyStore delegate() {
    return delegate;
  }

  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    return delegate.insert(key, maxActiveKeysPerOwner, now);
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    return delegate.findByLookupId(lookupId);
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
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
  public UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    return delegate.update(expected, replacement, now);
  }

  @Override
  public CascadeResult revokeCascade(ApiKeyId root, Instant at) {
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

  @Override
  public Optional<UsageStore> usageStore() {
    return delegate.usageStore();
  }
}
