package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** SPEC §8 events: what is emitted, to whom, and that a failing listener changes nothing. */
final class EventsTest {

  /** Records every event it wants. */
  static class Recorder implements AuthListener {
    final List<AuthEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(AuthEvent event) {
      events.add(event);
    }

    List<AuthEvent.Type> types() {
      return events.stream().map(AuthEvent::type).toList();
    }
  }

  @Test
  void aLifeCycleEmitsItsEventsInOrder() {
    Recorder recorder = new Recorder();
    try (Fixture f = Fixture.withListener(recorder, b -> b)) {
      CreatedKey key = f.create("ledgers:read");
      String plaintext = key.plaintext().reveal();
      f.auth.decide(plaintext, f.resource("ledgers"), "GET", "192.0.2.1");
      f.auth.decide(plaintext, f.resource("ledgers"), "DELETE", "192.0.2.1");
      f.auth.authenticate(Fixture.wrongSecret(plaintext, 1), "192.0.2.2");
      f.auth.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

      assertThat(recorder.types()).containsExactly(
          AuthEvent.Type.KEY_CREATED,
          AuthEvent.Type.AUTH_SUCCEEDED,
          AuthEvent.Type.AUTH_SUCCEEDED,
          AuthEvent.Type.PERMISSION_DENIED,
          AuthEvent.Type.AUTH_FAILED,
          AuthEvent.Type.KEY_REVOKED);
      AuthEvent denied = recorder.events.get(3);
      assertThat(denied.apiKeyId()).contains(key.apiKey().id());
      assertThat(denied.code()).contains(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS);
      assertThat(denied.detail()).isEqualTo("Insufficient permissions for ledgers:delete");
      assertThat(denied.remoteAddress()).isEqualTo("192.0.2.1");
      AuthEvent failed = recorder.events.get(4);
      assertThat(failed.keyHint()).isEqualTo(key.plaintext().displayPrefix());
      assertThat(failed.code()).contains(ErrorCode.AUTH_INVALID_API_KEY);
      assertThat(failed.at()).isEqualTo(Fixture.T0);
      for (AuthEvent e : recorder.events) {
        assertThat(e.toString()).doesNotContain(plaintext.substring(13)).doesNotContain(key.plaintext().lookupId());
      }
    }
  }

  @Test
  void aFailingListenerNeverChangesADecision() {
    AuthListener failing = event -> {
      throw new IllegalStateException("listener down");
    };
    try (Fixture f = Fixture.withListener(failing, b -> b)) {
      CreatedKey key = f.create("ledgers:read");

      assertThat(f.auth.decide(key.plaintext().reveal(), f.resource("ledgers"), "GET", "").granted()).isTrue();
      assertThat(f.auth.decide(key.plaintext().reveal(), f.resource("ledgers"), "POST", "").granted()).isFalse();
      assertThat(f.auth.authenticate("garbage", "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
    }
  }

  @Test
  void aListenerGetsOnlyTheTypesItWants() {
    Recorder recorder = new Recorder() {
      @Override
      public boolean wants(AuthEvent.Type type) {
        return type == AuthEvent.Type.AUTH_FAILED;
      }
    };
    Recorder all = new Recorder();
    try (Fixture f = Fixture.withListener(recorder.and(all), b -> b)) {
      CreatedKey key = f.create("team-a", Duration.ofDays(1), "ledgers:read");
      f.auth.authenticate(key.plaintext().reveal(), "");
      f.auth.authenticate("", "");

      assertThat(recorder.types()).containsExactly(AuthEvent.Type.AUTH_FAILED);
      assertThat(all.types()).containsExactly(
          AuthEvent.Type.KEY_CREATED, AuthEvent.Type.AUTH_SUCCEEDED, AuthEvent.Type.AUTH_FAILED);
    }
  }

  @Test
  void keyManagementEventsSayWhatChangedAndWhoChangedIt() {
    Recorder recorder = new Recorder();
    try (Fixture f = Fixture.withListener(recorder, b -> b)) {
      CreatedKey key = f.create("ledgers:read");
      String id = key.apiKey().id().value();
      f.auth.keys()
          .update(
              BlnkPrincipal.master(),
              id,
              KeyQuery.anyOwner(),
              KeyUpdate.builder()
                  .rateLimits(java.util.List.of(new io.blnk.auth.usage.RateLimit("default", 5, Duration.ofMinutes(1))))
                  .credits(java.util.Optional.of(io.blnk.auth.usage.Credits.of(10)))
                  .build())
          .orElseThrow();
      CreatedKey next = f.auth.keys().rotate(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
      String nextId = next.apiKey().id().value();
      f.auth.keys().revoke(BlnkPrincipal.master(), nextId, KeyQuery.anyOwner()).orElseThrow();
      f.auth.keys().revoke(BlnkPrincipal.master(), nextId, KeyQuery.anyOwner()).orElseThrow();

      assertThat(recorder.types())
          .containsExactly(
              AuthEvent.Type.KEY_CREATED,
              AuthEvent.Type.KEY_UPDATED,
              AuthEvent.Type.KEY_ROTATED,
              AuthEvent.Type.KEY_REVOKED);
      assertThat(recorder.events.get(1).detail()).isEqualTo("fields=rate_limits,credits by=master");
      assertThat(recorder.events.get(2).detail()).isEqualTo("new=" + nextId + " by=master");
      assertThat(recorder.events.get(2).apiKeyId()).contains(key.apiKey().id());
      assertThat(recorder.events.get(3).apiKeyId()).contains(next.apiKey().id());
    }
  }

  @Test
  void aLeakReportNamesItsSourceIfItIsShortAndSafeAndIsAnnouncedOnce() {
    Recorder recorder = new Recorder();
    try (Fixture f = Fixture.withListener(recorder, b -> b)) {
      CreatedKey disabled = f.create("ledgers:read");
      CreatedKey revoked = f.create("ledgers:read");
      String named = "s".repeat(64);
      recorder.events.clear();

      f.auth.keys().reportLeaked(disabled.plaintext().reveal(), LeakAction.DISABLE, named);
      f.auth.keys().reportLeaked(disabled.plaintext().reveal(), LeakAction.DISABLE, named);
      f.auth.keys().reportLeaked(revoked.plaintext().reveal(), LeakAction.REVOKE, named + "s");

      assertThat(recorder.types())
          .containsExactly(
              AuthEvent.Type.KEY_LEAKED,
              AuthEvent.Type.KEY_DISABLED,
              AuthEvent.Type.KEY_LEAKED,
              AuthEvent.Type.KEY_REVOKED);
      assertThat(recorder.events)
          .extracting(AuthEvent::detail)
          .containsExactly(
              "action=disable by=leak-report:" + named,
              "by=leak-report:" + named,
              "action=revoke by=leak-report:unnamed",
              "by=leak-report:unnamed");
    }
  }

  @Test
  void theMasterKeyIsAnnouncedAsMasterWithoutAnId() {
    Recorder recorder = new Recorder();
    try (Fixture f = Fixture.withListener(recorder, b -> b)) {
      f.auth.authenticate(Fixture.MASTER, "192.0.2.9");

      assertThat(recorder.types()).containsExactly(AuthEvent.Type.AUTH_SUCCEEDED);
      AuthEvent event = recorder.events.get(0);
      assertThat(event.keyHint()).isEqualTo("master");
      assertThat(event.apiKeyId()).isEmpty();
      assertThat(event.remoteAddress()).isEqualTo("192.0.2.9");
    }
  }

  @Test
  void noListenerWantsNothingAndTwoListenersWantWhatEitherWants() {
    Recorder failures = new Recorder() {
      @Override
      public boolean wants(AuthEvent.Type type) {
        return type == AuthEvent.Type.AUTH_FAILED;
      }
    };
    Recorder keys = new Recorder() {
      @Override
      public boolean wants(AuthEvent.Type type) {
        return type == AuthEvent.Type.KEY_CREATED;
      }
    };

    for (AuthEvent.Type type : AuthEvent.Type.values()) {
      assertThat(AuthListener.none().wants(type)).as("%s", type).isFalse();
      assertThat(failures.and(keys).wants(type))
          .as("%s", type)
          .isEqualTo(type == AuthEvent.Type.AUTH_FAILED || type == AuthEvent.Type.KEY_CREATED);
    }
  }

  @Test
  void flushingEndedRefusalsDeliversTheCountsOfWindowsThatHaveEnded() {
    Recorder recorder = new Recorder();
    try (Fixture f = Fixture.withListener(recorder, b -> b.aggregateRefusals(Duration.ofSeconds(10)))) {
      f.auth.authenticate("", "192.0.2.7");
      f.auth.authenticate("", "192.0.2.7");
      f.auth.authenticate("", "192.0.2.7");
      f.auth.flushEndedRefusals();
      assertThat(recorder.events).hasSize(1);

      f.clock.advance(Duration.ofSeconds(10));
      f.auth.flushEndedRefusals();

      assertThat(recorder.events).hasSize(2);
      assertThat(recorder.events.get(1).count()).isEqualTo(2);
      assertThat(recorder.events.get(1).detail()).isEqualTo("repeated 2 times in PT10S");
    }
  }

  @Test
  void closingDeliversTheRefusalsStillHeldBack() {
    Recorder recorder = new Recorder();
    Fixture f = Fixture.withListener(recorder, b -> b.aggregateRefusals(Duration.ofMinutes(1)));
    f.auth.authenticate("", "192.0.2.7");
    f.auth.authenticate("", "192.0.2.7");
    assertThat(recorder.events).hasSize(1);

    f.close();

    assertThat(recorder.events).hasSize(2);
    assertThat(recorder.events.get(1).count()).isEqualTo(1);
  }
}
