package io.blnk.auth;

import java.util.Objects;

/**
 * The outcome of authenticating or authorizing one request: {@link Granted} with the principal,
 * or {@link Denied} with an error code and message. Expected failures are values, not exceptions.
 */
public sealed interface AuthResult permits AuthResult.Granted, AuthResult.Denied {

  /** Whether access was granted. */
  boolean granted();

  /**
   * Access granted.
   *
   * @param principal who was authenticated
   */
  record Granted(BlnkPrincipal principal) implements AuthResult {
    /** Checks the principal is present. */
    public Granted {
      Objects.requireNonNull(principal, "principal");
    }

    @Override
    public boolean granted() {
      return true;
    }
  }

  /**
   * Access denied.
   *
   * @param code what went wrong
   * @param message the message for the caller
   */
  record Denied(ErrorCode code, String message) implements AuthResult {
    /** Checks both parts are present. */
    public Denied {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    /** A denial with the code's default message. */
    public static Denied of(ErrorCode code) {
      return new Denied(code, code.defaultMessage());
    }

    @Override
    public boolean granted() {
      return false;
    }
  }
}
