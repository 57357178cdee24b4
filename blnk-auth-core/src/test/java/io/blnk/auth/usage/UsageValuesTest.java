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
}
