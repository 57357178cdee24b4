package io.blnk.auth;

import java.util.Objects;

/**
 * Receives {@link AuthEvent}s, for audit and monitoring. Called on the request thread: keep it
 * quick and never let it throw (exceptions are caught and logged, never change a decision).
 * Implementations must be thread-safe.
 */
public interface AuthListener {

  /**
   * Handles one event.
   *
   * @param event what happened; never null
   */
  void onEvent(AuthEvent event);

  /**
   * Whether this listener wants events of {@code type}. Asked once when the library is built, so
   * that unwanted events are never created; the default wants all.
   *
   * @param type an event type
   * @return true if {@link #onEvent} should receive events of this type
   */
  default boolean wants(AuthEvent.Type type) {
    return true;
  }

  /**
   * A listener that drops everything.
   *
   * @return a listener that wants no event
   */
  static AuthListener none() {
    return new AuthListener() {
      @Override
      public void onEvent(AuthEvent event) {}

      @Override
      public boolean wants(AuthEvent.Type type) {
        return false;
      }
    };
  }

  /**
   * The default listener: logs to slf4j logger {@code io.blnk.auth.events}, key changes and
   * failures at INFO, successes at DEBUG (and only when DEBUG was enabled at build time). Logs ids,
   * owners, codes and key prefixes; never a secret.
   *
   * @return a new slf4j listener
   */
  static AuthListener slf4j() {
    return new Slf4jAuthListener();
  }

  /**
   * A listener that passes every event to this one and then to {@code other}.
   *
   * @param other the listener to call second
   * @return a listener that wants what either wants, and gives each only what it wants
   * @throws NullPointerException if {@code other} is null
   */
  default AuthListener and(AuthListener other) {
    Objects.requireNonNull(other, "other");
    AuthListener first = this;
    return new AuthListener() {
      @Override
      public void onEvent(AuthEvent event) {
        if (first.wants(event.type())) {
          first.onEvent(event);
        }
        if (other.wants(event.type())) {
          other.onEvent(event);
        }
      }

      @Override
      public boolean wants(AuthEvent.Type type) {
        return first.wants(type) || other.wants(type);
      }
    };
  }
}
