package io.blnk.auth.usage;

/**
 * What one {@link UsageStore#lease} took from a balance. Immutable.
 *
 * @param granted the credits now held by the caller, 0 to the amount asked for
 * @param remaining the balance left in the store after the lease (a hint for the next lease's size)
 * @param periodStart the period the credits belong to (epoch milliseconds of when the balance was
 *     last defined or refilled): credits are given back only into the same period
 */
public record CreditLease(long granted, long remaining, long periodStart) {

  /**
   * Checks the amounts.
   *
   * @param granted the credits now held by the caller, 0 to the amount asked for
   * @param remaining the balance left in the store after the lease (a hint for the next lease's
   *     size)
   * @param periodStart the period the credits belong to (epoch milliseconds of when the balance was
   *     last defined or refilled): credits are given back only into the same period
   * @throws IllegalArgumentException if an amount is negative
   */
  public CreditLease {
    if (granted < 0 || remaining < 0) {
      throw new IllegalArgumentException("granted and remaining must not be negative");
    }
  }
}
