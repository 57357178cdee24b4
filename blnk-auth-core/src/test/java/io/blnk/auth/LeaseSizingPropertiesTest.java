package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The lease arithmetic: bounded by the request, the ceiling and the remainder. */
final class LeaseSizingPropertiesTest {

  @Property
  void aLeaseAlwaysCoversTheRequest(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long remaining,
      @ForAll @LongRange(min = 1, max = 1_000_000) long needed,
      @ForAll @LongRange(min = 1, max = 1_000_000) long maxLease) {
    assertThat(LeaseSizing.want(remaining, needed, maxLease)).isGreaterThanOrEqualTo(needed);
  }

  @Property
  void aLeaseNeverExceedsTheCeilingUnlessTheRequestDoes(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long remaining,
      @ForAll @LongRange(min = 1, max = 1_000_000) long needed,
      @ForAll @LongRange(min = 1, max = 1_000_000) long maxLease) {
    assertThat(LeaseSizing.want(remaining, needed, maxLease)).isLessThanOrEqualTo(Math.max(needed, maxLease));
  }

  @Property
  void aLeaseIsAtMostASixteenthOfTheRemainderRoundedUpUnlessTheRequestNeedsMore(
      @ForAll @LongRange(min = 0, max = 1L << 40) long remaining,
      @ForAll @LongRange(min = 1, max = 1_000) long needed,
      @ForAll @LongRange(min = 1, max = 1_000_000) long maxLease) {
    long want = LeaseSizing.want(remaining, needed, maxLease);
    long sixteenth = (remaining + 15) / 16;
    assertThat(want).isLessThanOrEqualTo(Math.max(needed, sixteenth));
  }

  @Property
  void leasesShrinkAsTheRemainderShrinks(
      @ForAll @LongRange(min = 0, max = 1L << 40) long a,
      @ForAll @LongRange(min = 0, max = 1L << 40) long b,
      @ForAll @LongRange(min = 1, max = 1_000) long needed,
      @ForAll @LongRange(min = 1, max = 1_000_000) long maxLease) {
    long small = Math.min(a, b);
    long large = Math.max(a, b);
    assertThat(LeaseSizing.want(small, needed, maxLease))
        .isLessThanOrEqualTo(LeaseSizing.want(large, needed, maxLease));
  }
}
