package io.blnk.auth.usage;

import java.util.Objects;
import java.util.Optional;

/**
 * A key's usage credits: each granted request spends its cost (1 unless a route says otherwise);
 * when none remain the key is refused with {@code AUTH_USAGE_EXCEEDED} until a {@link Refill}, if
 * any. Immutable.
 *
 * @param remaining the credits left (at creation: the starting balance), 0 to {@link #MAX_CREDITS}
 * @param refill when the balance is reset, if ever
 */
public record Credits(long remaining, Optional<Refill> refill) {

  /** The largest balance. */
  public static final long MAX_CREDITS = 1_000_000_000_000L;

  /**
   * Checks the fields.
   *
   * @param remaining the credits left (at creation: the starting balance), 0 to {@link
   *     #MAX_CREDITS}
   * @param refill when the balance is reset, if ever
   * @throws IllegalArgumentException naming {@code remaining} when it is out of range
   */
  public Credits {
    Objects.requireNonNull(refill, "refill");
    if (remaining < 0 || remaining > MAX_CREDITS) {
      throw new IllegalArgumentException(
          "remaining must be between 0 and " + MAX_CREDITS + ", was " + remaining);
    }
  }

  /**
   * A balance without refill.
   *
   * @param remaining the balance, 0 to {@link #MAX_CREDITS}
   * @return credits that are never refilled
   * @throws IllegalArgumentException if {@code remaining} is out of range
   */
  public static Credits of(long remaining) {
    return new Credits(remaining, Optional.empty());
  }

  /**
   * A balance with a refill.
   *
   * @param remaining the starting balance, 0 to {@link #MAX_CREDITS}
   * @param refill when and to what the balance is reset
   * @return credits with that refill
   * @throws IllegalArgumentException if {@code remaining} is out of range
   * @throws NullPointerException if {@code refill} is null
   */
  public static Credits of(long remaining, Refill refill) {
    return new Credits(remaining, Optional.of(refill));
  }

  /**
   * A copy with another balance.
   *
   * @param newRemaining the new balance, 0 to {@link #MAX_CREDITS}
   * @return credits with the same refill
   * @throws IllegalArgumentException if {@code newRemaining} is out of range
   */
  public Credits withRemaining(long newRemaining) {
    return new Credits(newRemaining, refill);
  }
}
