package io.blnk.auth;

import io.blnk.auth.usage.CreditLease;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsageStore;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's share of one balance: the credits it leased and has not spent. Spending is a
 * compare-and-set on {@link #held} (no lock, no allocation); only when the lease runs out does one
 * thread at a time ask the store for another ({@link UsageStore#lease}). Thread-safe.
 *
 * <p>A lease belongs to its refill period: when the clock passes the next boundary the held
 * credits are dropped (they were counted against the old period) and the next lease lets the store
 * apply the refill. {@link #close} gives unspent credits back into the same period.
 */
final class CreditAccount {

  private final String usageId;
  private final UsageStore store;
  private final long maxLease;
  private final long recheckNanos;
  /** Null without refill. */
  private final Refill refill;

  private final AtomicLong held = new AtomicLong();
  /** The period of the held credits (epoch ms of its boundary; 0 without refill). */
  private volatile long periodStart;
  /** The next refill boundary, epoch ms; {@code Long.MAX_VALUE} without refill or before a lease. */
  private volatile long nextBoundary = Long.MAX_VALUE;
  /** The store's balance after the last lease: sizes the next one. */
  private volatile long lastRemaining = Long.MAX_VALUE;
  /** Until when (ticker nanos) an exhausted balance is refused without asking the store. */
  private volatile long exhaustedUntil = Long.MIN_VALUE;
  private volatile boolean exhausted;

  CreditAccount(String usageId, UsageStore store, long maxLease, long recheckNanos, Refill refill) {
    this.usageId = usageId;
    this.store = store;
    this.maxLease = maxLease;
    this.recheckNanos = recheckNanos;
    this.refill = refill;
  }

  /**
   * Spends {@code cost} credits if this node holds them or can lease them.
   *
   * @return whether the credits were spent
   * @throws io.blnk.auth.store.StoreUnavailableException if a lease was needed and the store failed
   */
  boolean spend(long cost, long nowMillis, long nowNanos) {
    if (nowMillis < nextBoundary) {
      for (long h = held.get(); h >= cost; h = held.get()) {
        if (held.compareAndSet(h, h - cost)) {
          return true;
        }
      }
    }
    return spendSlowly(cost, nowMillis, nowNanos);
  }

  /** Gives back {@code cost} credits spent by a request that was then refused. */
  void refund(long cost) {
    held.addAndGet(cost);
  }

  private synchronized boolean spendSlowly(long cost, long nowMillis, long nowNanos) {
    if (nowMillis >= nextBoundary) {
      held.set(0); // the old period's credits are void: the store refills on the next lease
      exhausted = false;
      nextBoundary = Long.MAX_VALUE;
    }
    for (long h = held.get(); h >= cost; h = held.get()) {
      if (held.compareAndSet(h, h - cost)) {
        return true;
      }
    }
    if (exhausted && nowNanos - exhaustedUntil < 0) {
      return false;
    }
    // At most two leases: a lease from a new period voids what was held, so the first may have
    // asked for too little; the second asks for what is really missing.
    for (int attempt = 0; attempt < 2; attempt++) {
      long needed = cost - held.get();
      CreditLease lease =
          store.lease(
              usageId, LeaseSizing.want(lastRemaining, needed, maxLease), Instant.ofEpochMilli(nowMillis));
      boolean newPeriod = lease.periodStart() != periodStart;
      if (newPeriod) {
        held.set(0); // credits of an older period: never carried into a refilled one
        periodStart = lease.periodStart();
      }
      held.addAndGet(lease.granted());
      lastRemaining = lease.remaining();
      nextBoundary = refill == null ? Long.MAX_VALUE : refill.boundaryAfter(nowMillis);
      for (long h = held.get(); h >= cost; h = held.get()) {
        if (held.compareAndSet(h, h - cost)) {
          exhausted = false;
          return true;
        }
      }
      if (!newPeriod || lease.remaining() == 0) {
        break;
      }
    }
    exhausted = true;
    exhaustedUntil = nowNanos + recheckNanos;
    return false;
  }

  /** When the balance will next be refilled (epoch ms), or {@code Long.MAX_VALUE} for never. */
  long refillAt(long nowMillis) {
    return refill == null ? Long.MAX_VALUE : refill.boundaryAfter(nowMillis);
  }

  /** The refill this account follows, or null. */
  Refill refill() {
    return refill;
  }

  /** The credits this node holds unspent. */
  long held() {
    return held.get();
  }

  /**
   * Gives every unspent credit back to the store, into the period it was leased in (the store
   * drops it if that period has been refilled since).
   */
  synchronized void close() {
    long h = held.getAndSet(0);
    if (h > 0) {
      store.giveBack(usageId, h, periodStart);
    }
  }
}
