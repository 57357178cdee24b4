package io.blnk.auth.usage;

import io.blnk.auth.key.OwnerId;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where credit balances and per-owner rate limits live, shared by every node. A balance belongs
 * to a <em>usage id</em> (a key's id; a rotated key's successor shares its predecessor's usage id).
 * Implementations must be thread-safe and make {@link #lease} and {@link #giveBack} atomic: the
 * sum of credits held by nodes and left in the store never exceeds what was defined (or refilled).
 * Failures of infrastructure are thrown as {@link io.blnk.auth.store.StoreUnavailableException}.
 */
public interface UsageStore {

  /**
   * Sets {@code usageId}'s balance, replacing any: {@code credits.remaining()} now, refilled as
   * {@code credits.refill()} says, the current period being the one containing {@code now}.
   *
   * @param usageId the usage id ({@link io.blnk.auth.key.ApiKey#usageId()})
   * @param credits the balance and its refill
   * @param now the current time, which fixes the current refill period
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  void defineCredits(String usageId, Credits credits, Instant now);

  /**
   * Removes {@code usageId}'s balance, if any (the key is no longer metered).
   *
   * @param usageId the usage id ({@link io.blnk.auth.key.ApiKey#usageId()})
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  void removeCredits(String usageId);

  /**
   * Takes up to {@code want} credits from {@code usageId}'s balance with one atomic conditional
   * update, first applying a refill whose boundary has passed at {@code now} (exactly once,
   * whichever node sees it first). A missing balance grants nothing.
   *
   * @param want how many credits the caller would like, at least 1
   * @param usageId the usage id ({@link io.blnk.auth.key.ApiKey#usageId()})
   * @param now the current time, for a refill due
   * @return the credits granted (0 to {@code want}) and the period they belong to
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  CreditLease lease(String usageId, long want, Instant now);

  /**
   * Returns unspent leased credits to {@code usageId}'s balance, if its period is still {@code
   * periodStart} (credits of a period already refilled are void and dropped).
   *
   * @param usageId the usage id ({@link io.blnk.auth.key.ApiKey#usageId()})
   * @param amount how many unspent credits to return
   * @param periodStart the start of the period the credits were leased in ({@link CreditLease})
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  void giveBack(String usageId, long amount, long periodStart);

  /**
   * The balance left in the store (not counting credits leased to nodes), after any refill due at
   * {@code now}; empty when {@code usageId} has none.
   *
   * @param usageId the usage id ({@link io.blnk.auth.key.ApiKey#usageId()})
   * @param now the current time, for a refill due
   * @return the balance in the store; empty when there is none
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  OptionalLong remainingCredits(String usageId, Instant now);

  /**
   * The rate limit set for all of {@code owner}'s keys together, if any.
   *
   * @param owner the owner
   * @return the owner's own limit; empty when none is set (the host default is not consulted)
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  Optional<RateLimit> ownerLimit(OwnerId owner);

  /**
   * Sets or (with empty) clears the rate limit for all of {@code owner}'s keys together.
   *
   * @param owner the owner
   * @param limit the new limit, or empty to clear it
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  void setOwnerLimit(OwnerId owner, Optional<RateLimit> limit);

  /**
   * Bucket4j's buckets shared through this store, for {@link UsageSettings.Mode#CLUSTER}: empty
   * when the store cannot share them (the default). Each call builds a new manager.
   *
   * @param clock the buckets' time source; every node of a cluster must use one wall clock
   * @return a new proxy manager over this store; empty when the store cannot share buckets
   */
  default Optional<io.github.bucket4j.distributed.proxy.ProxyManager<String>> clusterBuckets(
      io.github.bucket4j.TimeMeter clock) {
    return Optional.empty();
  }

  /**
   * A store in this process's memory, for tests and single-node hosts without a database.
   *
   * @return a new, empty, thread-safe store
   */
  static UsageStore inMemory() {
    return new InMemoryUsageStore();
  }
}
