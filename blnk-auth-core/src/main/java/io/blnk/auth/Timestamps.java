package io.blnk.auth;

import io.blnk.auth.internal.Messages;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Reads the RFC 3339 date-times callers send (e.g. {@code expires_at}), to microseconds (what every
 * supported database stores exactly). Stateless and thread-safe.
 *
 * <ul>
 *   <li>An offset is required: {@code 2026-03-11T00:00:00Z} or {@code 2026-03-11T02:00:00+02:00}.
 *   <li>Digits beyond microseconds are dropped (truncated, never rounded up past the instant
 *       given).
 *   <li><b>Leap seconds.</b> RFC 3339 allows second 60 where a leap second is inserted, which is
 *       always the last second of a UTC day ({@code 23:59:60Z}, or the same instant in another
 *       offset, e.g. {@code 15:59:60-08:00}). Java's time scale has no such second, so it is read
 *       as the last microsecond of that day, {@code 23:59:59.999999Z}: still before the next day
 *       begins, after every ordinary second of the day, whatever fraction was given. Second 60 at
 *       any other time of day is refused.
 *   <li>The latest instant accepted is {@value #LATEST_TEXT}; a later one (including a year-9999
 *       time whose offset puts it in year 10000 UTC) is refused with that bound in the message.
 * </ul>
 */
final class Timestamps {

  static final String LATEST_TEXT = "9999-12-31T23:59:59.999999Z";
  /** The latest instant accepted. */
  static final Instant LATEST = Instant.parse(LATEST_TEXT);

  private static final String EXAMPLE = "2026-03-11T00:00:00Z";

  private Timestamps() {}

  /**
   * The instant {@code text} names.
   *
   * @param field the field's name, for messages, e.g. {@code expires_at}
   * @return the instant; or refused with {@code APIKEY_INVALID} naming the field and the value,
   *     saying what is wrong
   */
  static KeyOutcome<Instant> parse(String field, String text) {
    int leap = leapSecondIndex(text);
    String readable = leap < 0 ? text : text.substring(0, leap) + "59" + text.substring(leap + 2);
    OffsetDateTime parsed;
    try {
      parsed = OffsetDateTime.parse(readable, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return invalid(field, text, "not an RFC 3339 date-time with an offset, such as " + EXAMPLE);
    }
    Instant at;
    try {
      at = parsed.toInstant();
    } catch (DateTimeException e) {
      return invalid(field, text, "must not be later than " + LATEST_TEXT);
    }
    if (leap >= 0) {
      OffsetDateTime utc = parsed.withOffsetSameInstant(ZoneOffset.UTC);
      if (utc.getHour() != 23 || utc.getMinute() != 59) {
        return invalid(
            field,
            text,
            "second 60 is only valid as a leap second, at 23:59:60 UTC (23:59:60Z or the same"
                + " instant in its offset)");
      }
      at = at.truncatedTo(ChronoUnit.SECONDS).plusNanos(999_999_000L);
    }
    at = at.truncatedTo(ChronoUnit.MICROS);
    if (at.isAfter(LATEST)) {
      return invalid(field, text, "must not be later than " + LATEST_TEXT + " (in UTC)");
    }
    return KeyOutcome.done(at);
  }

  /** Where the seconds {@code 60} of {@code hh:mm:60} start in an RFC 3339 date-time, or -1. */
  private static int leapSecondIndex(String text) {
    int t = text.indexOf('T');
    if (t < 0) {
      t = text.indexOf('t');
    }
    int seconds = t + 7; // T hh : mm : ss
    if (t < 0
        || text.length() < seconds + 2
        || text.charAt(t + 3) != ':'
        || text.charAt(t + 6) != ':'
        || text.charAt(seconds) != '6'
        || text.charAt(seconds + 1) != '0') {
      return -1;
    }
    return seconds;
  }

  private static KeyOutcome<Instant> invalid(String field, String text, String problem) {
    return KeyOutcome.refused(
        ErrorCode.APIKEY_INVALID, field + " " + Messages.quote(text) + ": " + problem);
  }
}
