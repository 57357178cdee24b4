package io.blnk.auth;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces {@code last_used_at} writes: at most one per key per interval is queued, and the
 * queue is written as one batch per interval and on close. A failed flush keeps its batch for the
 * next one.
 */
final class LastUsedRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(LastUsedRecorder.class);

  private final KeyStore store;
  private final long intervalMillis;
  private final ConcurrentHashMap<ApiKeyId, Instant> pending = new ConcurrentHashMap<>();

  LastUsedRecorder(KeyStore store, long intervalMillis) {
    this.store = store;
    this.intervalMillis = intervalMillis;
  }

  long intervalMillis() {
    return intervalMillis;
  }

  void record(ApiKeyId id, long nowMillis) {
    pending.merge(id, Instant.ofEpochMilli(nowMillis), LastUsedRecorder::later);
  }

  /**
   * Writes what is pending. Returns how many keys were written. One flush at a time: a caller that
   * comes while the scheduled flush writes waits for that write, so when this returns every use
   * recorded before the call is stored (or kept for the next flush, if the store failed), and an
   * older time never overwrites a newer one.
   */
  synchronized int flush() {
    if (pending.isEmpty()) {
      return 0;
    }
    Map<ApiKeyId, Instant> batch = new HashMap<>();
    for (ApiKeyId id : pending.keySet()) {
      Instant at = pending.remove(id);
      if (at != null) {
        batch.put(id, at);
      }
    }
    try {
      store.recordLastUsed(batch);
      return batch.size();
    } catch (RuntimeException e) {
      LOG.warn("could not record last use of {} keys, will retry: {}", batch.size(), e.toString());
      batch.forEach((id, at) -> pending.merge(id, at, LastUsedRecorder::later));
      return 0;
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
