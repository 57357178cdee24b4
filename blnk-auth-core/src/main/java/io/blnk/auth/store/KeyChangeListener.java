package io.blnk.auth.store;

import io.blnk.auth.key.ApiKeyId;

/**
 * Receives a store's revocation feed: which keys changed (revoked, or their expiry shortened by a
 * rotation), so that caches drop what they hold. Calls may come from any thread and must return
 * quickly.
 */
public interface KeyChangeListener {

  /** The key was revoked or its expiry changed; anything cached about it is stale. */
  void keyChanged(ApiKeyId id);

  /**
   * The feed was interrupted (for example the database connection dropped) and changes may have
   * been missed; everything cached is suspect. The default does nothing.
   */
  default void changesMayHaveBeenMissed() {}
}
