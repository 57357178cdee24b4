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
   */
  void defineCredits(String usageId, Credits credits, Instant now);

  /** Removes {@code usageId}'s balance, if any (the key is no longer metered). */
  void removeCredits(String usageId);

  /**
   * Takes up to {@code want} credits from {@code usageId}'s balance with one atomic conditional
   * update, first applying a refill whose boundary has passed at {@code now} (exactly once,
   * whichever node sees it first). A missing balance grants nothing.
   *
   * @param want how many credits the caller would like, at least 1
   */
  CreditLease lease(String usageId, long want, Instant now);

  /**
   * Returns unspent leased credits to {@code usageId}'s balance, if its period is still {@code
   * periodStart} (credits of a period already refilled are void and dropped).
   */
  void giveBack(String usageId, long amount, long periodStart);

  /**
   * The balance left in the store (not counting credits leased to nodes), after any refill due at
   * {@code now}; empty when {@code usageId} has none.
   */
  OptionalLong remainingCredits(String usageId, Instant now);

  /** The rate limit set for all of {@code owner}'s keys together, if any. */
  Optional<RateLimit> ownerLimit(OwnerId owner);

  /** Sets or (with empty) clears the rate limit for all of {@code owner}'s keys together. */
  void setOwnerLimit(OwnerId owner, Optional<RateLimit> limit);

  /**
   * Bucket4j's buckets shared through this store, for {@link UsageSettings.Mode#CLUSTER}: empty
   * when the store cannot share them (the default). Each call builds a new manager.
   *
   * @param clock the buckets' time source; every node of a cluster must use one wall clock
   */
  default Optional<io.github.bucket4j.distributed.proxy.ProxyManager<String>> clusterBuckets(
      io.github.bucket4j.TimeMeter clock) {
    return Optional.empty();
  }

  /** A store in this process's memory, for tests and single-node hosts without a database. */
  static UsageStore inMemory() {
    return new InMemoryUsageStore();
  }
}
