package io.blnk.auth.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Refill boundaries: the latest at or before now, the next after it, on the right days. */
final class RefillPropertiesTest {

  /** 2000-01-01T00:00:00Z. */
  private static final long FROM = 946_684_800_000L;
  /** The span to 2100-01-01T00:00:00Z. */
  private static final long SPAN = 3_155_760_000_000L;

  @Property
  void theBoundaryBracketsNow(
      @ForAll @LongRange(min = 0, max = SPAN) long offset,
      @ForAll @IntRange(min = 0, max = 31) int day) {
    long now = FROM + offset;
    Refill r = day == 0 ? Refill.daily(10) : Refill.monthly(10, day);
    long at = r.boundaryAtOrBefore(now);
    long next = r.boundaryAfter(now);
    assertThat(at).isLessThanOrEqualTo(now);
    assertThat(next).isGreaterThan(now);
    // no boundary in between: the one before `next` is `at`
    assertThat(r.boundaryAtOrBefore(next - 1)).isEqualTo(at);
    assertThat(r.boundaryAtOrBefore(next)).isEqualTo(next);
  }

  @Property
  void monthlyBoundariesFallOnTheDayOrTheMonthsLastDayAtMidnightUtc(
      @ForAll @LongRange(min = 0, max = SPAN) long offset,
      @ForAll @IntRange(min = 1, max = 31) int day) {
    long at = Refill.monthly(10, day).boundaryAtOrBefore(FROM + offset);
    ZonedDateTime t = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC);
    assertThat(t.toLocalTime().toSecondOfDay()).isZero();
    assertThat(t.getDayOfMonth()).isEqualTo(Math.min(day, t.toLocalDate().lengthOfMonth()));
  }

  @Property
  void dailyBoundariesAreMidnightsOneDayApart(@ForAll @LongRange(min = 0, max = SPAN) long offset) {
    Refill r = Refill.daily(5);
    long at = r.boundaryAtOrBefore(FROM + offset);
    assertThat(at % 86_400_000L).isZero();
    assertThat(r.boundaryAfter(FROM + offset) - at).isEqualTo(86_400_000L);
  }

  @Test
  void theThirtyFirstIsTheLastDayOfShortMonths() {
    long now = LocalDate.of(2026, 3, 5).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    assertThat(Instant.ofEpochMilli(Refill.monthly(1, 31).boundaryAtOrBefore(now)))
        .isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
    assertThat(Instant.ofEpochMilli(Refill.monthly(1, 31).boundaryAfter(now)))
        .isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
  }

  @Test
  void theInstantBoundaryIsTheMillisecondBoundaryOfNowTruncatedToMilliseconds() {
    Instant now = Instant.parse("2026-03-05T13:14:15.123456789Z");

    assertThat(Refill.daily(5).boundaryAtOrBefore(now)).isEqualTo(Instant.parse("2026-03-05T00:00:00Z"));
    assertThat(Refill.monthly(5, 10).boundaryAtOrBefore(now))
        .isEqualTo(Instant.parse("2026-02-10T00:00:00Z"));
  }

  @Test
  void theAmountRangesFromOneToTheLargestBalance() {
    assertThat(Refill.daily(1).amount()).isEqualTo(1);
    assertThat(Refill.daily(Credits.MAX_CREDITS).amount()).isEqualTo(Credits.MAX_CREDITS);
    assertThatThrownBy(() -> Refill.daily(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must be between 1 and 1000000000000, was 0");
    assertThatThrownBy(() -> Refill.monthly(Credits.MAX_CREDITS + 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("amount must be between 1 and 1000000000000, was 1000000000001");
  }

  @Test
  void aDayIsForMonthlyRefillsOnlyFromTheFirstToTheThirtyFirst() {
    assertThat(Refill.monthly(1, 1).day()).isEqualTo(1);
    assertThat(Refill.monthly(1, 31).day()).isEqualTo(31);
    assertThatThrownBy(() -> Refill.monthly(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("day must be between 1 and 31, was 0");
    assertThatThrownBy(() -> Refill.monthly(1, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("day must be between 1 and 31, was 32");
    assertThatThrownBy(() -> new Refill(1, Refill.Interval.DAILY, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("day applies to monthly refills only");
  }

  @Test
  void intervalsHaveTheirJsonTokens() {
    assertThat(Refill.Interval.DAILY.token()).isEqualTo("daily");
    assertThat(Refill.Interval.MONTHLY.token()).isEqualTo("monthly");
  }
}
