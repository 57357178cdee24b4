package io.blnk.auth.spring.actuate;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link KeyStore} that counts its failures ({@link StoreUnavailableException}) in {@value
 * #FAILURES}, tagged {@code operation}. Closing it does nothing: the wrapped store is a bean of its
 * own. Thread-safe when the store is.
 */
final class MeteredKeyStore implements KeyStore {

  static final String FAILURES = "blnk.auth.store.failures";

  private final KeyStore store;
  private final MeterRegistry registry;

  MeteredKeyStore(KeyStore store, MeterRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  private <T> T counted(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (StoreUnavailableException e) {
      Counter.builder(FAILURES)
          .description("Key store operations that failed")
          .tag("operation", operation)
          .register(registry)
          .increment();
      throw e;
    }
  }

  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    return counted("insert", () -> store.insert(key, maxActiveKeysPerOwner, now));
  }

  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    return counted("findByLookupId", () -> store.findByLookupId(lookupId));
  }

  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    return counted("findById", () -> store.findById(id));
  }

  @Override
  public List<ApiKey> listByOwner(OwnerId owner) {
    return counted("listByOwner", () -> store.listByOwner(owner));
  }

  @Override
  public RevokeResult revoke(ApiKeyId id, Instant at) {
    return counted("revoke", () -> store.revoke(id, at));
  }

  @Override
  public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
    return counted(
        "rotate", () -> store.rotate(replacement, old, notAfter, now, maxActiveKeysPerOwner));
  }

  @Override
  public io.blnk.auth.store.UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    return counted("update", () -> store.update(expected, replacement, now));
  }

  @Override
  public io.blnk.auth.store.CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    return counted("revokeCascade", () -> store.revokeCascade(root, at));
  }

  @Override
  public Optional<StoredKey> findByDigest(String keyDigest) {
    return counted("findByDigest", () -> store.findByDigest(keyDigest));
  }

  @Override
  public boolean recordDigest(ApiKeyId id, String keyDigest) {
    return counted("recordDigest", () -> store.recordDigest(id, keyDigest));
  }

  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    return counted("replaceHash", () -> store.replaceHash(id, expectedHash, newHash));
  }

  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    counted(
        "recordLastUsed",
        () -> {
          store.recordLastUsed(lastUsed);
          return null;
        });
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    return store.subscribe(listener);
  }

  @Override
  public String toString() {
    return "MeteredKeyStore[" + store + "]";
  }
}
