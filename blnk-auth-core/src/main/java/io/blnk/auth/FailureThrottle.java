package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Caps the unproven presentations of one lookup id in a sliding window: at most {@code limit}
 * within any {@code window}. A presentation reserves its slot <em>before</em> anything is looked
 * up or hashed, so concurrent wrong secrets cannot overshoot the limit; a presentation that turns
 * out right (or that failed for a reason that says nothing about the secret) gives its slot back.
 * Unknown lookup ids are counted exactly as known ones, so a refusal reveals nothing about whether
 * an id exists.
 *
 * <p>Thread-safe. Time comes from a monotonic {@link Ticker}; each id's slots are guarded by that
 * id's own monitor, never on the cached decision's path.
 */
final class FailureThrottle {

  private static final long EMPTY = Long.MIN_VALUE;

  private final Cache<String, Window> windows;
  private final Ticker ticker;
  private final int limit;
  private final long windowNanos;

  FailureThrottle(int limit, Duration window, long maximumSize, Ticker ticker) {
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.ticker = ticker;
    this.windows =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterAccess(window)
            .maximumSize(maximumSize)
            .executor(Runnable::run)
            .build();
  }

  /**
   * Reserves one attempt for {@code lookupId}.
   *
   * @return the reservation; {@link Reservation#refused()} when the window is full, with the wait
   *     until its oldest slot frees
   */
  Reservation reserve(String lookupId) {
    Window w = windows.get(lookupId, k -> new Window(limit));
    return w.reserve(ticker.read(), windowNanos);
  }

  /** One id's slots: the times of its last {@code limit} reserved attempts. */
  static final class Window {
    private final long[] slots;

    Window(int limit) {
      slots = new long[limit];
      java.util.Arrays.fill(slots, EMPTY);
    }

    synchronized Reservation reserve(long now, long windowNanos) {
      long oldest = Long.MAX_VALUE;
      for (int i = 0; i < slots.length; i++) {
        long at = slots[i];
        if (at == EMPTY || now - at >= windowNanos) {
          slots[i] = now;
          return new Reservation(this, i, now, Duration.ZERO);
        }
        oldest = Math.min(oldest, at);
      }
      return new Reservation(null, -1, now, Duration.ofNanos(oldest + windowNanos - now));
    }

    synchronized void release(int slot, long at) {
      if (slots[slot] == at) {
        slots[slot] = EMPTY;
      }
    }
  }

  /** A reserved attempt, or a refusal saying how long to wait. Not thread-safe; used by one call. */
  static final class Reservation {
    private Window window;
    private final int slot;
    private final long at;
    private final Duration retryAfter;

    Reservation(Window window, int slot, long at, Duration retryAfter) {
      this.window = window;
      this.slot = slot;
      this.at = at;
      this.retryAfter = retryAfter;
    }

    boolean refused() {
      return slot < 0;
    }

    /** How long until the window has room again; zero unless refused. */
    Duration retryAfter() {
      return retryAfter;
    }

    /** Gives the slot back: the attempt proved the secret, or never got to judge it. Idempotent. */
    void release() {
      if (window != null) {
        window.release(slot, at);
        window = null;
      }
    }
  }
}
