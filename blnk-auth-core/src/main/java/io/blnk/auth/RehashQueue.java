package io.blnk.auth;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyStore;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes upgraded hashes (after a parameter change) to the store on its own single thread. The new
 * hash is computed by the verification that proved the key, while it holds the presented bytes
 * and a hash permit; this queue holds only key ids and encoded hashes, never a plaintext. Bounded
 * ({@value #CAPACITY} pending writes; more are dropped and wait for the key's next first
 * verification) and de-duplicated by key id.
 *
 * <p>Thread-safe.
 */
final class RehashQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RehashQueue.class);
  static final int CAPACITY = 1_000;

  private final KeyStore store;
  private final Set<ApiKeyId> pending = ConcurrentHashMap.newKeySet();
  private final ThreadPoolExecutor thread;

  RehashQueue(KeyStore store) {
    this.store = store;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(CAPACITY),
            r -> {
              Thread t = new Thread(r, "blnk-auth-rehash");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Whether an upgrade of {@code id} would be taken now: not closed, not already pending, room
   * left. Lets a verification skip computing a hash that would be dropped.
   */
  boolean wants(ApiKeyId id) {
    return !thread.isShutdown() && !pending.contains(id) && thread.getQueue().remainingCapacity() > 0;
  }

  /** Queues {@code newHash} to replace {@code oldHash} of key {@code id}; false if not taken. */
  boolean submit(ApiKeyId id, String oldHash, String newHash) {
    if (!pending.add(id)) {
      return false;
    }
    try {
      thread.execute(() -> write(id, oldHash, newHash));
      return true;
    } catch (RejectedExecutionException fullOrClosed) {
      pending.remove(id);
      return false;
    }
  }

  private void write(ApiKeyId id, String oldHash, String newHash) {
    try {
      if (store.replaceHash(id, oldHash, newHash)) {
        LOG.info("upgraded the hash of {}", id);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not upgrade the hash of {}: {}", id, e.toString());
    } finally {
      pending.remove(id);
    }
  }

  /** Finishes the queued writes (waiting up to 5 s) and stops the thread. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
