package io.blnk.auth.store;

import io.blnk.auth.internal.InMemoryKeyStore;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where keys live. Implementations must be thread-safe; every write is atomic (all or nothing).
 * Any method may throw {@link StoreUnavailableException} when the backing system fails; no other
 * exception signals a store failure. Listings never include hashes.
 *
 * <p>The contract is pinned down by the abstract {@code KeyStoreContract} test in the core
 * test-jar, which every implementation runs.
 */
public interface KeyStore extends AutoCloseable {

  /**
   * Stores a new key.
   *
   * @return true if stored; false, storing nothing, if its id or lookup id already exists
   * @throws StoreUnavailableException if the store failed; nothing was stored
   */
  boolean insert(StoredKey key);

  /** The key with this lookup id, hash included, for verification. */
  Optional<StoredKey> findByLookupId(String lookupId);

  /** The key with this id, without its hash. */
  Optional<ApiKey> findById(ApiKeyId id);

  /**
   * Every key of an owner, revoked and expired ones included, newest first (by {@code createdAt},
   * then by id, both descending). An owner with no keys gets an empty list.
   */
  List<ApiKey> listByOwner(OwnerId owner);

  /**
   * Revokes a key. Idempotent: revoking a revoked key changes nothing and keeps the first {@code
   * revokedAt}.
   *
   * @return the key as it now is, or empty if there is no such key
   */
  Optional<ApiKey> revoke(ApiKeyId id, Instant at);

  /**
   * Atomically stores {@code replacement} and caps the expiry of key {@code old} at {@code
   * notAfter} (keeping an earlier expiry): the store half of a rotation.
   *
   * @return the old key as it now is, or empty (storing nothing) if there is no such key
   * @throws IllegalStateException if the replacement's id or lookup id already exists
   */
  Optional<ApiKey> rotate(StoredKey replacement, ApiKeyId old, Instant notAfter);

  /**
   * Replaces a key's hash if it is still {@code expectedHash} (a rehash after a parameter
   * upgrade).
   *
   * @return whether the hash was replaced
   */
  boolean replaceHash(ApiKeyId id, String expectedHash, String newHash);

  /**
   * Records last use for a batch of keys, never moving a {@code lastUsedAt} backwards. Unknown ids
   * are ignored.
   */
  void recordLastUsed(Map<ApiKeyId, Instant> lastUsed);

  /**
   * Subscribes to changes made through any store instance on the same data: this store's
   * revocation feed. Changes made through this very instance are delivered too.
   *
   * @return a handle that unsubscribes when closed
   */
  AutoCloseable subscribe(KeyChangeListener listener);

  /** Releases what the store holds (threads, connections it opened). The default does nothing. */
  @Override
  default void close() {}

  /** A thread-safe store in memory: for tests, examples and single-node hosts that keep nothing. */
  static KeyStore inMemory() {
    return new InMemoryKeyStore();
  }
}
