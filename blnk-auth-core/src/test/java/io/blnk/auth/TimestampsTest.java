package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 17.6: leap seconds, far dates and what is refused, with messages naming the field. */
final class TimestampsTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "2016-12-31T23:59:60Z,             2016-12-31T23:59:59.999999Z",
    "2016-12-31T23:59:60.5Z,           2016-12-31T23:59:59.999999Z",
    "2016-12-31T15:59:60-08:00,        2016-12-31T23:59:59.999999Z",
    "2017-01-01T05:29:60+05:30,        2016-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:60Z,             9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59.999999Z,      9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59.9999999Z,     9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59Z,             9999-12-31T23:59:59Z",
    "2026-03-11T00:00:00.1234567+01:00, 2026-03-10T23:00:00.123456Z",
  })
  void readsRfc3339IncludingLeapSecondsAndTheLastMicrosecondOfYear9999(String text, String expected) {
    assertThat(Timestamps.parse("expires_at", text)).isEqualTo(KeyOutcome.done(Instant.parse(expected)));
  }

  @Test
  void aLeapSecondSortsAfterEveryOrdinarySecondOfItsDayAndBeforeTheNextDay() {
    Instant leap = Timestamps.parse("expires_at", "2016-12-31T23:59:60Z").orElseThrow();
    assertThat(leap).isAfter(Instant.parse("2016-12-31T23:59:59.999998Z"));
    assertThat(leap).isBefore(Instant.parse("2017-01-01T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0} is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "2016-12-31T12:00:60Z      | second 60 is only valid as a leap second, at 23:59:60 UTC (23:59:60Z or the same instant in its offset)",
        "2016-12-31T23:58:60Z      | second 60 is only valid as a leap second, at 23:59:60 UTC (23:59:60Z or the same instant in its offset)",
        "2016-12-31T23:59:60+01:00 | second 60 is only valid as a leap second, at 23:59:60 UTC (23:59:60Z or the same instant in its offset)",
        "2016-12-31T23:59:61Z      | not an RFC 3339 date-time with an offset, such as 2026-03-11T00:00:00Z",
        "9999-12-31T23:59:59-00:01 | must not be later than 9999-12-31T23:59:59.999999Z (in UTC)",
        "+10000-01-01T00:00:00Z    | must not be later than 9999-12-31T23:59:59.999999Z (in UTC)",
        "2026-03-11T00:00:00       | not an RFC 3339 date-time with an offset, such as 2026-03-11T00:00:00Z",
        "2026-03-11                | not an RFC 3339 date-time with an offset, such as 2026-03-11T00:00:00Z",
        "tomorrow                  | not an RFC 3339 date-time with an offset, such as 2026-03-11T00:00:00Z",
        "2016-12-31T23:59:6        | not an RFC 3339 date-time with an offset, such as 2026-03-11T00:00:00Z",
        "2016-12-31T23:5           | not an RFC 3339 date-time with an offset, such as 2026-03-11T00:00:00Z",
      })
  void refusedTimesNameTheFieldTheValueAndTheProblem(String text, String problem) {
    assertThat(Timestamps.parse("expires_at", text))
        .isEqualTo(KeyOutcome.refused(ErrorCode.APIKEY_INVALID, "expires_at \"" + text + "\": " + problem));
  }


  @Test
  void keysCanBeCreatedToTheLastMicrosecondOfYear9999AndOnALeapSecond() {
    try (Fixture f = new Fixture()) {
      for (String text : new String[] {"9999-12-31T23:59:59.999999Z", "2099-12-31T23:59:60Z"}) {
        CreatedKey k =
            f.auth
                .keys()
                .create(
                    BlnkPrincipal.master(),
                    CreateKeyRequest.builder()
                        .name("far")
                        .owner("team-far")
                        .scopes("ledgers:read")
                        .expiresAt(text)
                        .build()).orElseThrow();
        assertThat(k.apiKey().expiresAt()).contains(Timestamps.parse("expires_at", text).orElseThrow());
        assertThat(f.auth.authenticate(k.plaintext().reveal(), "").granted()).isTrue();
      }
    }
  }
}
