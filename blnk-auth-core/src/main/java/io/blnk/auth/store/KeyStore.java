package io.blnk.auth.store;

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
   * Stores a new key unless its owner already has {@code maxActiveKeysPerOwner} active keys
   * (neither revoked nor expired at {@code now}). The count and the insert are one atomic step: two
   * concurrent inserts for one owner never both pass the last free place (the store serialises
   * inserts per owner).
   *
   * @param key the key to store
   * @param maxActiveKeysPerOwner the most active keys an owner may have; {@link
   *     Integer#MAX_VALUE} for no limit
   * @param now the time that decides which keys are still active
   * <p>A key that is not itself revoked and names a {@code createdBy} key that exists and is
   * revoked is refused ({@code CreatorRevoked}), checked under that key's row lock: a create racing
   * a {@linkplain #revokeCascade cascading revoke} of its creator never leaves a working key
   * outside the cascade. A creator the store does not hold does not stop the insert.
   * @return {@code Inserted}, {@code Duplicate} (id or lookup id exists), {@code LimitReached} or
   *     {@code CreatorRevoked}; only {@code Inserted} stored anything
   * @throws StoreUnavailableException if the store failed; nothing was stored
   * @throws IllegalArgumentException if {@code maxActiveKeysPerOwner} is below 1
   */
  InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now);

  /**
   * Stores a new key without an owner limit.
   *
   * @param key the key with its hash, lookup id and digest
   * @return true if stored; false, storing nothing, if its id or lookup id already exists
   * @throws StoreUnavailableException if the store failed; nothing was stored
   */
  default boolean insert(StoredKey key) {
    return insert(key, Integer.MAX_VALUE, key.key().createdAt()) instanceof InsertResult.Inserted;
  }

  /**
   * The key with this lookup id, hash included, for verification.
   *
   * @param lookupId the lookup id part of a presented key
   * @return the stored key with its hash; empty if no key has this lookup id
   * @throws StoreUnavailableException if the store failed
   */
  Optional<StoredKey> findByLookupId(String lookupId);

  /**
   * The key with this id, without its hash.
   *
   * @param id the key's public id
   * @return the key's record; empty if no key has this id
   * @throws StoreUnavailableException if the store failed
   */
  Optional<ApiKey> findById(ApiKeyId id);

  /**
   * Every key of an owner, revoked and expired ones included, newest first (by {@code createdAt},
   * then by id, both descending). An owner with no keys gets an empty list.
   *
   * @param owner the owner whose keys to list
   * @return the owner's keys in that order; never null
   * @throws StoreUnavailableException if the store failed
   */
  List<ApiKey> listByOwner(OwnerId owner);

  /**
   * Revokes a key. Idempotent: revoking a revoked key changes nothing, keeps the first {@code
   * revokedAt} and tells no subscriber.
   *
   * @param id the key to revoke
   * @param at the revocation time to record if the key is not yet revoked
   * @return {@code Revoked} if this call revoked it, {@code AlreadyRevoked} or {@code NotFound}
   * @throws StoreUnavailableException if the store failed; nothing changed
   */
  RevokeResult revoke(ApiKeyId id, Instant at);

  /**
   * Atomically stores {@code replacement} and caps the expiry of key {@code old} at {@code
   * notAfter} (keeping an earlier expiry): the store half of a rotation. The old key is read under
   * the same lock that revocations take, and a revoked key, one expired at {@code now}, or a
   * disabled one, is refused there: a rotation racing a revocation never leaves a working successor of a revoked
   * key.
   *
   * <p>The old key's {@code rotatedTo} is set to the replacement's id (the replacement carries
   * {@code rotatedFrom} itself).
   *
   * @param replacement the new key, of the same owner
   * @param old the key being rotated
   * @param notAfter the latest expiry the old key keeps
   * @param now the rotation's time, deciding whether the old key is still active
   * @param maxActiveKeysPerOwner the most active keys the owner may have besides {@code old};
   *     {@link Integer#MAX_VALUE} for no limit
   * @return {@code Rotated} (the only outcome that stored anything), {@code NotFound}, {@code
   *     NotActive}, {@code Collision} (the replacement's id or lookup id exists) or {@code
   *     LimitReached}
   * @throws StoreUnavailableException if the store failed; nothing changed
   */
  RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner);

  // ------------------------------------------------------------ key lifecycle (issue 12)

  /**
   * Changes a key's mutable fields, if it is still as the caller read it: the store half of an
   * update, a disable and an enable. Under the same lock that revocations and rotations take, the
   * store reads the row and refuses a key that is revoked, or expired at {@code now} ({@code
   * NotActive}: such a key never changes again, so an update racing a revocation never brings
   * the key back), or whose fields other than {@code lastUsedAt} differ from {@code expected}
   * ({@code Conflict}: the caller checked its rules against an older row). Otherwise it writes
   * {@code replacement}'s name, scopes, expiry, meta data, allowed addresses and disable time, and
   * its usage controls' rate limits and credits refill (not its usage id) —
   * nothing else (owner, creator, revocation, rotation links and prefix never change here) — and
   * announces the change on the feed like a revocation.
   *
   * @param expected the key as the caller read it
   * @param replacement the key as it should be; same id
   * @param now the time that decides whether the key is still active
   * @return {@code Updated} (the only outcome that changed anything), {@code NotFound}, {@code
   *     NotActive} or {@code Conflict}
   * @throws StoreUnavailableException if the store failed; nothing changed
   * @throws IllegalArgumentException if the ids differ
   * @throws UnsupportedOperationException if the store predates key updates (the default)
   */
  default UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    throw new UnsupportedOperationException(getClass().getName() + " does not support update");
  }

  /**
   * Revokes a key and, in the same transaction, every key created from it ({@code createdBy})
   * or rotated from it ({@code rotatedFrom}), transitively. Keys already revoked stay as they are
   * (their first {@code revokedAt} is kept) and their subtrees are still followed. Each key this
   * call revoked is announced on the feed. A rotation or revocation racing the cascade either
   * happened entirely before it (and its replacement is revoked too) or is refused.
   *
   * @param root the key whose tree to revoke
   * @param at the revocation time recorded on every key this call revokes
   * @return {@code Revoked} with the keys this call revoked, or {@code NotFound}
   * @throws StoreUnavailableException if the store failed; nothing changed
   * @throws UnsupportedOperationException if the store predates cascading revokes (the default)
   */
  default CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not support cascading revokes");
  }

  /**
   * The key whose {@linkplain StoredKey#keyDigest() digest} is this, hash included: how a leaked
   * key is found without running the hash. Keys stored before digests existed have none until
   * their first successful verification; find those by lookup id. The default finds nothing.
   *
   * @param keyDigest 64 lower-case hex digits
   * @return the stored key with this digest; empty if none has it
   * @throws StoreUnavailableException if the store failed
   */
  default Optional<StoredKey> findByDigest(String keyDigest) {
    return Optional.empty();
  }

  /**
   * Records a key's digest if it has none yet (a key stored before digests existed, after a
   * successful verification). Not announced on the feed: nothing cached depends on it.
   *
   * @param id the key whose digest to record
   * @param keyDigest the key's digest, 64 lower-case hex digits
   * @return whether the digest was recorded
   * @throws StoreUnavailableException if the store failed
   */
  default boolean recordDigest(ApiKeyId id, String keyDigest) {
    return false;
  }

  /**
   * Replaces a key's hash if it is still {@code expectedHash} (a rehash after a parameter
   * upgrade).
   *
   * @param id the key whose hash to replace
   * @param expectedHash the hash the key must still have (the one just verified)
   * @param newHash the new hash
   * @return whether the hash was replaced
   * @throws StoreUnavailableException if the store failed
   */
  boolean replaceHash(ApiKeyId id, String expectedHash, String newHash);

  /**
   * Records last use for a batch of keys, never moving a {@code lastUsedAt} backwards. Unknown ids
   * are ignored.
   *
   * @param lastUsed each key's latest use
   * @throws StoreUnavailableException if the store failed
   */
  void recordLastUsed(Map<ApiKeyId, Instant> lastUsed);

  /**
   * Subscribes to changes made through any store instance on the same data: this store's
   * revocation feed. Changes made through this very instance are delivered too.
   *
   * @param listener told about each change, on a thread of the store's choosing
   * @return a handle that unsubscribes when closed
   * @throws StoreUnavailableException if the store failed
   */
  AutoCloseable subscribe(KeyChangeListener listener);

  /**
   * Where this store keeps credit balances and owner rate limits (issue 13), shared by every node
   * on the same data; empty when it keeps none (the default), in which case {@code BlnkAuth} keeps
   * them in its own memory.
   *
   * @return this store's usage store; empty by default
   */
  default java.util.Optional<io.blnk.auth.usage.UsageStore> usageStore() {
    return java.util.Optional.empty();
  }

  /** Releases what the store holds (threads, connections it opened). The default does nothing. */
  @Override
  default void close() {}

  /**
   * A thread-safe store in memory: for tests, examples and single-node hosts that keep nothing.
   *
   * @return a new, empty store; its data lives as long as the object
   */
  static KeyStore inMemory() {
    return new InMemoryKeyStore();
  }
}
