package io.blnk.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand, so expiry is tested without sleeping. Thread-safe. */
final class MutableClock implements InstantSource {

  private volatile Instant now;

  MutableClock(Instant start) {
    this.now = start;
  }

  static MutableClock at(String instant) {
    return new MutableClock(Instant.parse(instant));
  }

  @Override
  public Instant instant() {
    return now;
  }

  void set(Instant instant) {
    now = instant;
  }

  void advance(Duration by) {
    now = now.plus(by);
  }
}
