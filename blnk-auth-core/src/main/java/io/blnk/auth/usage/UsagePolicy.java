package io.blnk.auth.usage;

import io.blnk.auth.key.ApiKeyId;
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
 * @param sharedWith the key whose balance and buckets these are (set by a rotation on the
 *     successor: the first key of the chain); empty for the key's own
 */
public record UsagePolicy(
    List<RateLimit> rateLimits, Optional<Credits> credits, Optional<ApiKeyId> sharedWith) {

  /** The most named limits on one key. */
  public static final int MAX_RATE_LIMITS = 8;

  /** No limits, no credits. */
  public static final UsagePolicy NONE = new UsagePolicy(List.of(), Optional.empty());

  /**
   * A policy on the key's own balance and buckets.
   *
   * @param rateLimits the named limits, at most {@value #MAX_RATE_LIMITS}, names unique
   * @param credits the credits, or empty for unmetered
   * @throws IllegalArgumentException as the canonical constructor
   * @throws NullPointerException if an argument or a list element is null
   */
  public UsagePolicy(List<RateLimit> rateLimits, Optional<Credits> credits) {
    this(rateLimits, credits, Optional.empty());
  }

  /**
   * Checks the limits.
   *
   * @param rateLimits the named limits, at most {@value #MAX_RATE_LIMITS}, names unique
   * @param credits the credits, or empty for unmetered
   * @param sharedWith the key whose balance and buckets these are (set by a rotation on the
   *     successor: the first key of the chain); empty for the key's own
   * @throws IllegalArgumentException naming {@code rate_limits} when there are too many or a name
   *     repeats
   */
  public UsagePolicy {
    rateLimits = List.copyOf(rateLimits);
    Objects.requireNonNull(credits, "credits");
    Objects.requireNonNull(sharedWith, "sharedWith");
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

  /**
   * Whether this policy limits or meters anything.
   *
   * @return true if the policy has neither rate limits nor credits
   */
  public boolean isNone() {
    return rateLimits.isEmpty() && credits.isEmpty();
  }

  /**
   * A copy with other rate limits.
   *
   * @param limits the new named limits; copied
   * @return a policy with the same credits and sharing
   * @throws IllegalArgumentException as the canonical constructor
   */
  public UsagePolicy withRateLimits(List<RateLimit> limits) {
    return new UsagePolicy(limits, credits, sharedWith);
  }

  /**
   * A copy with other credits.
   *
   * @param newCredits the new credits, or empty for unmetered
   * @return a policy with the same rate limits and sharing
   */
  public UsagePolicy withCredits(Optional<Credits> newCredits) {
    return new UsagePolicy(rateLimits, newCredits, sharedWith);
  }

  /**
   * A copy using {@code key}'s balance and buckets.
   *
   * @param key the key whose balance and buckets to share (the first key of a rotation chain)
   * @return a policy with the same limits and credits, sharing {@code key}'s
   */
  public UsagePolicy sharedWith(ApiKeyId key) {
    return new UsagePolicy(rateLimits, credits, Optional.of(key));
  }
}
