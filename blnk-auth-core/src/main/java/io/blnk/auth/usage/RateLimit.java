package io.blnk.auth.usage;

import java.time.Duration;
import java.util.Objects;

/**
 * One named rate limit: at most {@code limit} requests (or request cost units) per {@code
 * period}, enforced as a token bucket of capacity {@code limit} refilled greedily at {@code limit}
 * per {@code period} (so a full bucket allows a burst of {@code limit}, then the steady rate).
 * Immutable.
 *
 * @param name the limit's name, shown in the {@code RateLimit-Policy} field: 1 to 32 characters of
 *     {@code [a-z0-9_-]}
 * @param limit the tokens per period, 1 to 1,000,000,000
 * @param period the refill period, from 1 s to 1 day, in whole seconds
 */
public record RateLimit(String name, long limit, Duration period) {

  /** The shortest period. */
  public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
  /** The longest period. */
  public static final Duration MAX_PERIOD = Duration.ofDays(1);
  /** The largest limit. */
  public static final long MAX_LIMIT = 1_000_000_000L;

  /**
   * Checks every field.
   *
   * @param name the limit's name, shown in the {@code RateLimit-Policy} field: 1 to 32 characters
   *     of {@code [a-z0-9_-]}
   * @param limit the tokens per period, 1 to 1,000,000,000
   * @param period the refill period, from 1 s to 1 day, in whole seconds
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException naming the field ({@code name}, {@code limit}, {@code period})
   *     and what is wrong with it
   */
  public RateLimit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(period, "period");
    if (!validName(name)) {
      throw new IllegalArgumentException(
          "name must be 1 to 32 characters of a-z, 0-9, '_' or '-'");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (period.compareTo(MIN_PERIOD) < 0
        || period.compareTo(MAX_PERIOD) > 0
        || period.getNano() != 0) {
      throw new IllegalArgumentException(
          "period must be whole seconds from PT1S to P1D (PT24H), was " + period);
    }
  }

  /**
   * The period in seconds (the {@code w} parameter of {@code RateLimit-Policy}).
   *
   * @return the period in whole seconds
   */
  public long periodSeconds() {
    return period.getSeconds();
  }

  static boolean validName(String name) {
    int n = name.length();
    if (n < 1 || n > 32) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
