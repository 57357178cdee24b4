package io.blnk.auth.store;

import io.blnk.auth.key.ApiKeyId;

/**
 * Receives a store's revocation feed: which keys changed (revoked, or their expiry shortened by a
 * rotation), so that caches drop what they hold. A change may be delivered more than once (a
 * notification and a catch-up), so handling must be idempotent. Calls may come from any thread and
 * must return quickly.
 */
public interface KeyChangeListener {

  /**
   * The key was revoked or its expiry changed; anything cached about it is stale.
   *
   * @param id the key that changed
   */
  void keyChanged(ApiKeyId id);

  /**
   * Changes may have been missed and cannot be caught up: the store's change sequence went
   * backwards (its table was recreated or the counter reset), or the feed's first connection
   * failed after the subscription. Cached records are suspect; proofs of secrets are not (a row
   * that did not change needs no new hash verification). A reconnect that can catch up from the
   * sequence does not call this: it delivers the missed changes through {@link #keyChanged}. The
   * default does nothing.
   */
  default void changesMayHaveBeenMissed() {}
}
