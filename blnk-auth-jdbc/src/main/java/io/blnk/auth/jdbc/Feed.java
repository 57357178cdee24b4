package io.blnk.auth.jdbc;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyChangeListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's revocation feed: one daemon thread holding one connection, either listening for
 * PostgreSQL notifications or polling the change sequence.
 *
 * <p>The store's change sequence is the truth: every revoke and rotate stamps its row with the
 * next value of {@code <table>_changes.seq}, and changes commit in sequence order (they take that
 * row's lock). The feed remembers the highest sequence it has delivered and reads "changes since"
 * it: every poll in polling mode, every catch-up interval in LISTEN mode (so a notification that
 * never arrives, as behind a transaction-pooling proxy, is still delivered within the interval),
 * and after every reconnect, so that a reconnect delivers what changed meanwhile as ordinary
 * {@code keyChanged} calls. Only a sequence that went backwards (the table was recreated or the
 * counter reset), or a first connection that failed after the subscription, is reported as
 * {@code changesMayHaveBeenMissed}.
 */
final class Feed implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
  private static final int LISTEN_WAIT_MILLIS = 500;
  private static final int FEED_QUERY_TIMEOUT_SECONDS = 10;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final DataSource dataSource;
  private final Statements sql;
  private final boolean mayListen;
  private final long pollMillis;
  private final long catchUpNanos;
  private final List<KeyChangeListener> listeners;
  private final Thread thread;
  private final CompletableFuture<Boolean> firstAttempt = new CompletableFuture<>();

  private volatile boolean stopping;
  private long lastSeq = -1;
  /** {@link System#nanoTime()} when the feed last knew it had delivered every change. */
  private volatile long currentAt;

  Feed(
      DataSource dataSource,
      Statements sql,
      boolean mayListen,
      Duration pollInterval,
      Duration catchUpInterval,
      List<KeyChangeListener> listeners) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.mayListen = mayListen;
    this.pollMillis = Math.max(1, pollInterval.toMillis());
    this.catchUpNanos = Math.max(1, catchUpInterval.toNanos());
    this.listeners = listeners;
    this.thread = new Thread(this, "blnk-auth-key-feed[" + sql.table() + "]");
    this.thread.setDaemon(true);
  }

  void start() {
    currentAt = System.nanoTime();
    thread.start();
  }

  /** Waits until the feed first listened (or polled) or first failed, at most {@code wait}. */
  void awaitFirstAttempt(Duration wait) {
    try {
      firstAttempt.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Still connecting: the thread keeps trying and reports missed changes when it gets there.
    }
  }

  void stop(Duration wait) {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    boolean failedBeforeFirstConnection = false;
    int failures = 0;
    while (!stopping) {
      Connection c = null;
      boolean listening = false;
      try {
        c = dataSource.getConnection();
        c.setAutoCommit(true);
        listening = mayListen && PgListener.canListen(c);
        if (listening) {
          // Listen first, then catch up: a change is either in the catch-up or notified after.
          PgListener.listen(c, sql.channel());
        }
        catchUp(c, failedBeforeFirstConnection);
        failedBeforeFirstConnection = false;
        if (failures > 0) {
          LOG.info("key change feed for {} reconnected and caught up", sql.table());
        }
        failures = 0;
        firstAttempt.complete(Boolean.TRUE);
        if (listening) {
          listen(c);
        } else {
          poll(c);
        }
      } catch (SQLException | RuntimeException e) {
        if (stopping) {
          break;
        }
        if (lastSeq < 0) {
          failedBeforeFirstConnection = true;
        }
        firstAttempt.complete(Boolean.FALSE);
        String what = e instanceof SQLException s ? Failures.describe(s) : e.toString();
        if (failures == 0) {
          LOG.warn("key change feed for {} lost its connection, reconnecting: {}", sql.table(), what);
        } else {
          LOG.debug("key change feed for {} still cannot connect: {}", sql.table(), what);
        }
        failures++;
        pause(Math.min(MAX_BACKOFF_MILLIS, 50L << Math.min(failures, 10)));
      } finally {
        if (listening && stopping) {
          unlistenQuietly(c);
        }
        closeQuietly(c);
      }
    }
  }

  /**
   * Delivers every change since the last sequence seen. On the first connection there is nothing
   * to deliver (the subscriber has cached nothing from before), unless earlier attempts failed.
   * A counter below the last sequence seen means the sequence was reset: that gap cannot be
   * caught up.
   */
  private void catchUp(Connection c, boolean failedBeforeFirstConnection) throws SQLException {
    long startedAt = System.nanoTime();
    catchUpOnce(c, failedBeforeFirstConnection);
    currentAt = startedAt; // every change committed before the read began is delivered
  }

  /**
   * How long ago the feed last knew it had delivered every change: the start of its last
   * successful catch-up (or of the feed, before the first).
   */
  Duration lag() {
    return Duration.ofNanos(Math.max(0, System.nanoTime() - currentAt));
  }

  private void catchUpOnce(Connection c, boolean failedBeforeFirstConnection) throws SQLException {
    long current = currentSeq(c);
    if (lastSeq < 0) {
      lastSeq = current;
      if (failedBeforeFirstConnection) {
        deliverMissed();
      }
      return;
    }
    if (current < lastSeq) {
      LOG.warn(
          "the change sequence of {} went backwards ({} after {}): dropping cached keys",
          sql.table(),
          current,
          lastSeq);
      lastSeq = current;
      deliverMissed();
      return;
    }
    deliverChangesSince(c);
  }

  private void deliverChangesSince(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.changesSince())) {
      ps.setQueryTimeout(FEED_QUERY_TIMEOUT_SECONDS);
      ps.setLong(1, lastSeq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          lastSeq = Math.max(lastSeq, rs.getLong(2));
          if (ApiKeyId.isValid(id)) {
            deliver(new ApiKeyId(id));
          }
        }
      }
    }
  }

  private static void unlistenQuietly(Connection c) {
    try {
      PgListener.unlisten(c);
    } catch (SQLException | RuntimeException ignored) {
      // The connection is going away anyway.
    }
  }

  private void listen(Connection c) throws SQLException {
    int wait = (int) Math.max(1, Math.min(LISTEN_WAIT_MILLIS, catchUpNanos / 1_000_000));
    long lastCatchUp = System.nanoTime();
    while (!stopping) {
      List<String> payloads = PgListener.receive(c, sql.channel(), wait);
      for (String payload : payloads) {
        if (ApiKeyId.isValid(payload)) {
          deliver(new ApiKeyId(payload));
        }
      }
      if (System.nanoTime() - lastCatchUp >= catchUpNanos) {
        // Also the connection's health check: a dead connection fails here and reconnects.
        catchUp(c, false);
        lastCatchUp = System.nanoTime();
      }
    }
  }

  private void poll(Connection c) throws SQLException {
    while (!stopping) {
      if (!pause(pollMillis)) {
        return;
      }
      catchUp(c, false);
    }
  }

  private long currentSeq(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(FEED_QUERY_TIMEOUT_SECONDS);
      try (ResultSet rs = s.executeQuery(sql.readSeq())) {
        return rs.next() ? rs.getLong(1) : 0L;
      }
    }
  }

  private void deliver(ApiKeyId id) {
    for (KeyChangeListener listener : listeners) {
      try {
        listener.keyChanged(id);
      } catch (RuntimeException e) {
        LOG.warn("a key change listener failed: {}", e.toString());
      }
    }
  }

  private void deliverMissed() {
    for (KeyChangeListener listener : listeners) {
      try {
        listener.changesMayHaveBeenMissed();
      } catch (RuntimeException e) {
        LOG.warn("a key change listener failed: {}", e.toString());
      }
    }
  }

  /** Sleeps; false if interrupted (stopping). */
  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already broken.
      }
    }
  }
}
