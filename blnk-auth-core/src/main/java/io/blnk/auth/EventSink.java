package io.blnk.auth;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds events only for types the listener wants, and keeps listener failures away from callers. */
final class EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

  private final AuthListener listener;
  private final InstantSource clock;
  private final boolean[] wanted = new boolean[AuthEvent.Type.values().length];

  EventSink(AuthListener listener, InstantSource clock) {
    this.listener = listener;
    this.clock = clock;
    for (AuthEvent.Type type : AuthEvent.Type.values()) {
      wanted[type.ordinal()] = listener.wants(type);
    }
  }

  boolean wants(AuthEvent.Type type) {
    return wanted[type.ordinal()];
  }

  void emit(
      AuthEvent.Type type,
      Optional<ApiKeyId> id,
      Optional<OwnerId> owner,
      ErrorCode code,
      String keyHint,
      String remote,
      String detail) {
    if (!wanted[type.ordinal()]) {
      return;
    }
    try {
      listener.onEvent(
          new AuthEvent(
              type,
              clock.instant(),
              id,
              owner,
              Optional.ofNullable(code),
              keyHint,
              remote == null ? "" : remote,
              detail));
    } catch (RuntimeException e) {
      LOG.warn("AuthListener failed on {}; the decision stands", type, e);
    }
  }

  void keyEvent(AuthEvent.Type type, BlnkPrincipal caller, ApiKeyId id, OwnerId owner, String detail) {
    String by = caller.isMaster() ? "by=master" : "by=" + caller.getName();
    emit(type, Optional.of(id), Optional.of(owner), null, "", "", detail.isEmpty() ? by : detail + " " + by);
  }
}
