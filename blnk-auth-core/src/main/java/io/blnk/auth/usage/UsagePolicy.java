package io.blnk.auth.usage;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a key may use: its named rate limits (all must admit a request) and its credits, if any.
 * One value on a key so that the key's record carries its usage controls as one field. Immutable.
 *
 * @param rateLimits the named limits, at most {@value #MAX_RATE_LIMITS}, names unique
 * @param credits the credits, or empty for unmetered
 */
public record UsagePolicy(List<RateLimit> rateLimits, Optional<Credits> credits) {

  /** The most named limits on one key. */
  public static final int MAX_RATE_LIMITS = 8;

  /** No limits, no credits. */
  public static final UsagePolicy NONE = new UsagePolicy(List.of(), Optional.empty());

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException naming {@code rate_limits} when there are too many or a name
   *     repeats
   */
  public UsagePolicy {
    rateLimits = List.copyOf(rateLimits);
    Objects.requireNonNull(credits, "credits");
    if (rateLimits.size() > MAX_RATE_LIMITS) {
      throw new IllegalArgumentException(
          "rate_limits: at most " + MAX_RATE_LIMITS + " limits, was " + rateLimits.size());
    }
    Set<String> names = new HashSet<>();
    for (RateLimit limit : rateLimits) {
      if (!names.add(limit.name())) {
        throw new IllegalArgumentException("rate_limits: name \"" + limit.name() + "\" repeats");
      }
    }
  }

  /** Whether this policy limits or meters anything. */
  public boolean isNone() {
    return rateLimits.isEmpty() && credits.isEmpty();
  }

  /** A copy with other rate limits. */
  public UsagePolicy withRateLimits(List<RateLimit> limits) {
    return new UsagePolicy(limits, credits);
  }

  /** A copy with other credits. */
  public UsagePolicy withCredits(Optional<Credits> newCredits) {
    return new UsagePolicy(rateLimits, newCredits);
  }
}
