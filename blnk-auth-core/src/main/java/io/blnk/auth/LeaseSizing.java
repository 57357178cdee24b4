package io.blnk.auth;

/**
 * How many credits a node asks for when its lease runs out: a sixteenth of what the store had
 * left at the last lease, at most {@code maxLease}, at least what the request needs. So leases
 * shrink as the balance shrinks, and a node that dies strands at most {@code maxLease} (and at
 * most a sixteenth of the balance it last saw, when that is more than the request's cost).
 */
final class LeaseSizing {

  /** A lease is at most this fraction (1/16) of the balance last seen. */
  static final int DIVISOR = 16;

  private LeaseSizing() {}

  /**
   * The credits to ask for.
   *
   * @param lastRemaining the store's balance after the previous lease ({@code Long.MAX_VALUE}
   *     when unknown)
   * @param needed the credits the request still lacks, at least 1
   * @param maxLease the configured ceiling, at least 1
   * @return a value in {@code [needed, max(needed, maxLease)]}
   */
  static long want(long lastRemaining, long needed, long maxLease) {
    long share = lastRemaining / DIVISOR + (lastRemaining % DIVISOR == 0 ? 0 : 1);
    return Math.max(needed, Math.min(maxLease, share));
  }
}
