package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.usage.RateLimit;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The {@code t} of the {@code RateLimit} field: seconds until a bucket is full again. */
final class ResetSecondsPropertiesTest {

  @Property
  void aFullBucketResetsNow(
      @ForAll @LongRange(min = 1, max = RateLimit.MAX_LIMIT) long limit,
      @ForAll @LongRange(min = 1, max = 86_400) long seconds) {
    RateLimit spec = new RateLimit("l", limit, Duration.ofSeconds(seconds));
    assertThat(Admission.resetSeconds(spec, limit)).isZero();
  }

  @Property
  void anEmptyBucketResetsInOnePeriod(
      @ForAll @LongRange(min = 1, max = RateLimit.MAX_LIMIT) long limit,
      @ForAll @LongRange(min = 1, max = 86_400) long seconds) {
    RateLimit spec = new RateLimit("l", limit, Duration.ofSeconds(seconds));
    assertThat(Admission.resetSeconds(spec, 0)).isEqualTo(seconds);
  }

  @Property
  void theResetIsTheRefillTimeRoundedUp(
      @ForAll @LongRange(min = 1, max = RateLimit.MAX_LIMIT) long limit,
      @ForAll @LongRange(min = 1, max = 86_400) long seconds,
      @ForAll @LongRange(min = 0, max = RateLimit.MAX_LIMIT) long remainingRaw) {
    long remaining = remainingRaw % (limit + 1);
    RateLimit spec = new RateLimit("l", limit, Duration.ofSeconds(seconds));
    long t = Admission.resetSeconds(spec, remaining);
    // t seconds refill at least what is missing; t - 1 seconds refill less.
    java.math.BigInteger missing = java.math.BigInteger.valueOf(limit - remaining);
    java.math.BigInteger refilled = java.math.BigInteger.valueOf(t).multiply(java.math.BigInteger.valueOf(limit));
    java.math.BigInteger needed = missing.multiply(java.math.BigInteger.valueOf(seconds));
    assertThat(refilled).isGreaterThanOrEqualTo(needed);
    if (t > 0) {
      assertThat(java.math.BigInteger.valueOf(t - 1).multiply(java.math.BigInteger.valueOf(limit))).isLessThan(needed);
    }
  }
}
