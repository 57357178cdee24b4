package io.blnk.auth.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * When a key's credits are refilled: at each boundary the remaining credits are <em>set</em> to
 * {@code amount} (unused credits do not accumulate). Boundaries are in UTC: every midnight for
 * {@link Interval#DAILY}; midnight of day {@code day} of every month for {@link Interval#MONTHLY}
 * (the month's last day when it is shorter). Immutable.
 *
 * @param amount the credits after a refill, 1 to {@link Credits#MAX_CREDITS}
 * @param interval daily or monthly
 * @param day for monthly refills the day of the month, 1 to 31; 0 for daily ones
 */
public record Refill(long amount, Interval interval, int day) {

  /** How often credits are refilled. */
  public enum Interval {
    /** Every day at 00:00 UTC. */
    DAILY,
    /** Every month at 00:00 UTC of the refill's day. */
    MONTHLY;

    /**
     * The JSON token: {@code daily} or {@code monthly}.
     *
     * @return {@code "daily"} or {@code "monthly"}
     */
    public String token() {
      return this == DAILY ? "daily" : "monthly";
    }
  }

  /**
   * Checks the fields.
   *
   * @param amount the credits after a refill, 1 to {@link Credits#MAX_CREDITS}
   * @param interval daily or monthly
   * @param day for monthly refills the day of the month, 1 to 31; 0 for daily ones
   * @throws IllegalArgumentException naming the field and what is wrong
   */
  public Refill {
    Objects.requireNonNull(interval, "interval");
    if (amount < 1 || amount > Credits.MAX_CREDITS) {
      throw new IllegalArgumentException(
          "amount must be between 1 and " + Credits.MAX_CREDITS + ", was " + amount);
    }
    if (interval == Interval.DAILY && day != 0) {
      throw new IllegalArgumentException("day applies to monthly refills only");
    }
    if (interval == Interval.MONTHLY && (day < 1 || day > 31)) {
      throw new IllegalArgumentException("day must be between 1 and 31, was " + day);
    }
  }

  /**
   * A daily refill to {@code amount}.
   *
   * @param amount the balance after each refill, 1 to {@link Credits#MAX_CREDITS}
   * @return a refill at each midnight UTC
   * @throws IllegalArgumentException if {@code amount} is out of range
   */
  public static Refill daily(long amount) {
    return new Refill(amount, Interval.DAILY, 0);
  }

  /**
   * A monthly refill to {@code amount} on {@code day} (1 to 31).
   *
   * @param amount the balance after each refill, 1 to {@link Credits#MAX_CREDITS}
   * @param day the day of the month; in a shorter month, its last day
   * @return a refill at midnight UTC of that day each month
   * @throws IllegalArgumentException if {@code amount} or {@code day} is out of range
   */
  public static Refill monthly(long amount, int day) {
    return new Refill(amount, Interval.MONTHLY, day);
  }

  /**
   * The latest boundary at or before {@code now}, in epoch milliseconds.
   *
   * @param nowMillis the current time in epoch milliseconds
   * @return the start of the current refill period, in epoch milliseconds
   */
  public long boundaryAtOrBefore(long nowMillis) {
    long dayMillis = 86_400_000L;
    if (interval == Interval.DAILY) {
      return Math.floorDiv(nowMillis, dayMillis) * dayMillis;
    }
    LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(nowMillis, dayMillis));
    LocalDate candidate = onRefillDay(today.withDayOfMonth(1));
    if (millis(candidate) > nowMillis) {
      candidate = onRefillDay(today.withDayOfMonth(1).minusMonths(1));
    }
    return millis(candidate);
  }

  /**
   * The first boundary strictly after {@code now}, in epoch milliseconds.
   *
   * @param nowMillis the current time in epoch milliseconds
   * @return the next refill, in epoch milliseconds
   */
  public long boundaryAfter(long nowMillis) {
    long at = boundaryAtOrBefore(nowMillis);
    if (interval == Interval.DAILY) {
      return at + 86_400_000L;
    }
    LocalDate firstOfMonth = LocalDate.ofEpochDay(Math.floorDiv(at, 86_400_000L)).withDayOfMonth(1);
    return millis(onRefillDay(firstOfMonth.plusMonths(1)));
  }

  /**
   * The latest boundary at or before {@code now}.
   *
   * @param now the current time (milliseconds and coarser count)
   * @return the start of the current refill period
   */
  public Instant boundaryAtOrBefore(Instant now) {
    return Instant.ofEpochMilli(boundaryAtOrBefore(now.truncatedTo(ChronoUnit.MILLIS).toEpochMilli()));
  }

  private LocalDate onRefillDay(LocalDate firstOfMonth) {
    return firstOfMonth.withDayOfMonth(Math.min(day, firstOfMonth.lengthOfMonth()));
  }

  private static long millis(LocalDate date) {
    return date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
