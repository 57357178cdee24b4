package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock's time in nanoseconds that never goes backwards: if the clock steps back, the ticker
 * stands still until the clock catches up. For hosts and tests that pass their own clock; the
 * system clock gets {@link System#nanoTime()} instead. Thread-safe.
 */
final class MonotonicTicker implements Ticker {

  private final InstantSource clock;
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  MonotonicTicker(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public long read() {
    Instant now = clock.instant();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return last.accumulateAndGet(nanos, Math::max);
  }
}
