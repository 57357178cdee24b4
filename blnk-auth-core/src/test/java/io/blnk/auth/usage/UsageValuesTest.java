package io.blnk.auth.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The usage values check their ranges at both ends: rate limits, credits and policies. */
final class UsageValuesTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  @ParameterizedTest
  @ValueSource(strings = {"a", "z", "0", "9", "_", "-", "default", "per_min-2"})
  void aRateLimitNameOfLowercaseLettersDigitsUnderscoresAndHyphensIsAccepted(String name) {
    assertThat(new RateLimit(name, 1, MINUTE).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "`", "{", "/", ":", "A", "Z", "a b", "a.b", "ok!", "é"})
  void aRateLimitNameWithAnyOtherCharacterIsRefused(String name) {
    assertThatThrownBy(() -> new RateLimit(name, 1, MINUTE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be 1 to 32 characters of a-z, 0-9, '_' or '-'");
  }

  @Test
  void aRateLimitNameHasAtMostThirtyTwoCharacters() {
    assertThat(new RateLimit("n".repeat(32), 1, MINUTE).name()).hasSize(32);
    assertThatThrownBy(() -> new RateLimit("n".repeat(33), 1, MINUTE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name must be 1 to 32 characters");
  }

  @Test
  void aBalanceRangesFromZeroToTheLargest() {
    assertThat(Credits.of(0).remaining()).isZero();
    assertThat(Credits.of(Credits.MAX_CREDITS).remaining()).isEqualTo(Credits.MAX_CREDITS);
    assertThatThrownBy(() -> Credits.of(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("remaining must be between 0 and 1000000000000, was -1");
    assertThatThrownBy(() -> Credits.of(Credits.MAX_CREDITS + 1, Refill.daily(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("remaining must be between 0 and 1000000000000, was 1000000000001");
  }

  @Test
  void aPolicyHoldsAtMostEightRateLimits() {
    List<RateLimit> limits = new ArrayList<>();
    for (int i = 0; i < UsagePolicy.MAX_RATE_LIMITS; i++) {
      limits.add(new RateLimit("l" + i, 1, MINUTE));
    }

    assertThat(new UsagePolicy(limits, Optional.empty()).rateLimits()).hasSize(8);
    limits.add(new RateLimit("l8", 1, MINUTE));
    assertThatThrownBy(() -> new UsagePolicy(limits, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate_limits: at most 8 limits, was 9");
  }

  @Test
  void aRateLimitAllowsOneToMaxLimitTokensPerWholeSecondsFromOneSecondToOneDay() {
    assertThat(new RateLimit("a", 1, Duration.ofSeconds(1)).periodSeconds()).isEqualTo(1);
    assertThat(new RateLimit("a", RateLimit.MAX_LIMIT, Duration.ofDays(1)).periodSeconds())
        .isEqualTo(86_400);
    assertThatThrownBy(() -> new RateLimit("a", 0, MINUTE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 1000000000, was 0");
    assertThatThrownBy(() -> new RateLimit("a", RateLimit.MAX_LIMIT + 1, MINUTE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 1000000000, was 1000000001");
    for (Duration bad :
        new Duration[] {Duration.ofMillis(999), Duration.ofDays(1).plusSeconds(1), Duration.ofMillis(1500)}) {
      assertThatThrownBy(() -> new RateLimit("a", 1, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("period must be whole seconds from PT1S to P1D (PT24H), was " + bad);
    }
  }

  @Test
  void aPolicyWithoutLimitsOrCreditsIsNoneAndItsCopiesKeepWhatTheyDoNotReplace() {
    RateLimit limit = new RateLimit("a", 1, MINUTE);
    io.blnk.auth.key.ApiKeyId first = io.blnk.auth.key.ApiKeyId.random();

    assertThat(UsagePolicy.NONE.isNone()).isTrue();
    assertThat(UsagePolicy.NONE.withRateLimits(List.of(limit)).isNone()).isFalse();
    assertThat(UsagePolicy.NONE.withCredits(Optional.of(Credits.of(0))).isNone()).isFalse();
    UsagePolicy shared = UsagePolicy.NONE.withRateLimits(List.of(limit)).sharedWith(first);
    assertThat(shared.rateLimits()).containsExactly(limit);
    assertThat(shared.sharedWith()).contains(first);
    assertThat(shared.withCredits(Optional.of(Credits.of(2))))
        .isEqualTo(new UsagePolicy(List.of(limit), Optional.of(Credits.of(2)), Optional.of(first)));
    assertThat(Credits.of(5, Refill.daily(9)).withRemaining(2)).isEqualTo(Credits.of(2, Refill.daily(9)));
  }
}
