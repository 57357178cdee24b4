package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Refusal aggregation at the edges of its window, on a hand-moved ticker; key-event wording. */
final class EventSinkTest {

  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final long N = INTERVAL.toNanos();

  private final AtomicLong nanos = new AtomicLong(100_000_000_000L);
  private final MutableClock clock = MutableClock.at("2026-03-05T12:00:00Z");
  private final List<AuthEvent> delivered = new CopyOnWriteArrayList<>();
  private final EventSink sink = new EventSink(delivered::add, clock, nanos::get, INTERVAL);

  private void refuse(String remote) {
    sink.emit(
        AuthEvent.Type.AUTH_FAILED,
        Optional.empty(),
        Optional.empty(),
        ErrorCode.AUTH_INVALID_API_KEY,
        "",
        remote,
        "");
  }

  @Test
  void aRefusalExactlyOneIntervalAfterTheFirstOpensANewWindowAndIsShownAtOnce() {
    refuse("198.51.100.1");
    nanos.addAndGet(N - 1);
    refuse("198.51.100.2");
    assertThat(delivered).hasSize(2);

    nanos.addAndGet(1);
    refuse("198.51.100.1");

    assertThat(delivered).hasSize(3);
    assertThat(delivered.get(2).count()).isEqualTo(1);
    assertThat(delivered.get(2).remoteAddress()).isEqualTo("198.51.100.1");
  }

  @Test
  void aRepeatWithinTheIntervalIsHeldBackUntilTheWindowHasEnded() {
    refuse("198.51.100.1");
    nanos.addAndGet(1);
    refuse("198.51.100.1");
    refuse("198.51.100.1");
    assertThat(delivered).hasSize(1);

    nanos.addAndGet(N - 2);
    sink.flushEnded();
    assertThat(delivered).hasSize(1);

    nanos.addAndGet(1);
    sink.flushEnded();

    assertThat(delivered).hasSize(2);
    AuthEvent summary = delivered.get(1);
    assertThat(summary.count()).isEqualTo(2);
    assertThat(summary.detail()).isEqualTo("repeated 2 times in PT10S");
    assertThat(summary.remoteAddress()).isEqualTo("198.51.100.1");
    assertThat(summary.code()).contains(ErrorCode.AUTH_INVALID_API_KEY);
    // The window is forgotten: the next refusal is shown as itself.
    refuse("198.51.100.1");
    assertThat(delivered).hasSize(3);
    assertThat(delivered.get(2).count()).isEqualTo(1);
  }

  @Test
  void onlyTheTypesTheListenerWantsAreWantedOrDelivered() {
    AuthListener refusalsOnly =
        new AuthListener() {
          @Override
          public void onEvent(AuthEvent event) {
            delivered.add(event);
          }

          @Override
          public boolean wants(AuthEvent.Type type) {
            return type == AuthEvent.Type.AUTH_FAILED;
          }
        };
    EventSink picky = new EventSink(refusalsOnly, clock, nanos::get, INTERVAL);

    assertThat(picky.wants(AuthEvent.Type.AUTH_FAILED)).isTrue();
    assertThat(picky.wants(AuthEvent.Type.KEY_REVOKED)).isFalse();
    picky.keyEvent(AuthEvent.Type.KEY_REVOKED, "master", ApiKeyId.random(), OwnerId.of("team-a"), "");
    assertThat(delivered).isEmpty();
  }

  @Test
  void aKeyEventNamesWhoCausedItAfterItsDetail() {
    ApiKeyId id = ApiKeyId.random();
    OwnerId owner = OwnerId.of("team-a");

    sink.keyEvent(AuthEvent.Type.KEY_REVOKED, BlnkPrincipal.master(), id, owner, "");
    sink.keyEvent(AuthEvent.Type.KEY_REVOKED, "leak-report", id, owner, "cascade");

    assertThat(delivered).extracting(AuthEvent::detail).containsExactly("by=master", "cascade by=leak-report");
    assertThat(delivered.get(0).apiKeyId()).contains(id);
    assertThat(delivered.get(0).ownerId()).contains(owner);
  }

  @Test
  void aKeyEventCausedByAKeyNamesThatKey() {
    try (Fixture f = new Fixture()) {
      BlnkPrincipal caller = f.principal(f.create("*:*"));
      ApiKeyId id = ApiKeyId.random();

      sink.keyEvent(AuthEvent.Type.KEY_CREATED, caller, id, OwnerId.of("team-a"), "");

      assertThat(delivered).extracting(AuthEvent::detail).containsExactly("by=" + caller.getName());
      assertThat(caller.getName()).startsWith("api_key_");
    }
  }

  @Test
  void aSourceThatKeepsRefusingGetsItsCountWhenItsNextWindowOpens() {
    refuse("198.51.100.1");
    nanos.addAndGet(1);
    refuse("198.51.100.1");
    nanos.addAndGet(N);

    refuse("198.51.100.1");

    assertThat(delivered).extracting(AuthEvent::count).containsExactly(1L, 1L);
    assertThat(delivered.get(1).detail()).isEqualTo("repeated 1 times in PT10S");
    // The refusal that opened the new window is itself held back, reported with that window.
    sink.flushAll();
    assertThat(delivered).extracting(AuthEvent::count).containsExactly(1L, 1L, 1L);
    assertThat(delivered.get(2).detail()).isEqualTo("repeated 1 times in PT10S");
  }

  @Test
  void anEndedWindowThatHeldNothingBackIsForgottenSilently() {
    refuse("198.51.100.1");
    nanos.addAndGet(N);

    sink.flushEnded();
    sink.flushAll();

    assertThat(delivered).hasSize(1);
  }

  @Test
  void flushingAllDeliversWhatOpenWindowsHeldBack() {
    refuse("198.51.100.1");
    refuse("198.51.100.1");
    refuse("198.51.100.2");

    sink.flushAll();

    assertThat(delivered).hasSize(3);
    assertThat(delivered.get(2).remoteAddress()).isEqualTo("198.51.100.1");
    assertThat(delivered.get(2).count()).isEqualTo(1);
  }

  @Test
  void sourcesBeyondTheMostTrackedShareOneWindow() {
    for (int i = 0; i < EventSink.MAX_SOURCES; i++) {
      refuse("10.0." + (i / 256) + "." + (i % 256));
    }
    assertThat(delivered).hasSize(EventSink.MAX_SOURCES);

    refuse("10.9.0.1");
    refuse("10.9.0.2");
    assertThat(delivered).hasSize(EventSink.MAX_SOURCES + 1);
    sink.flushAll();

    AuthEvent shared = delivered.get(delivered.size() - 1);
    assertThat(shared.remoteAddress()).isEqualTo(EventSink.OTHER_SOURCES);
    assertThat(shared.count()).isEqualTo(1);
  }
}
