package io.blnk.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of authenticating or authorizing one request: {@link Granted} with the principal,
 * or {@link Denied} with an error code and message. Expected failures are values, not exceptions.
 */
public sealed interface AuthResult permits AuthResult.Granted, AuthResult.Denied {

  /**
   * Whether access was granted.
   *
   * @return true for {@link Granted}, false for {@link Denied}
   */
  boolean granted();

  /**
   * Access granted.
   *
   * @param principal who was authenticated
   */
  record Granted(BlnkPrincipal principal) implements AuthResult {
    /**
     * Checks the principal is present.
     *
     * @param principal who was authenticated
     * @throws NullPointerException if {@code principal} is null
     */
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
   * @param retryAfter how long the caller should wait before trying again ({@link Duration#ZERO}
   *     when a retry would not help); answered as {@code Retry-After}, rounded up to whole seconds
   */
  record Denied(ErrorCode code, String message, Duration retryAfter) implements AuthResult {
    /**
     * Checks every part is present and the wait is not negative.
     *
     * @param code what went wrong
     * @param message the message for the caller
     * @param retryAfter how long the caller should wait before trying again ({@link Duration#ZERO}
     *     when a retry would not help); answered as {@code Retry-After}, rounded up to whole
     *     seconds
     * @throws NullPointerException if a part is null
     * @throws IllegalArgumentException if {@code retryAfter} is negative
     */
    public Denied {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
      }
    }

    /**
     * A denial with no advice to retry.
     *
     * @param code what went wrong
     * @param message the message for the caller
     */
    public Denied(ErrorCode code, String message) {
      this(code, message, Duration.ZERO);
    }

    /**
     * A copy that advises waiting {@code wait} before a retry.
     *
     * @param wait how long the caller should wait before a retry; not negative
     * @return a denial with the same code and message
     * @throws IllegalArgumentException if {@code wait} is negative
     */
    public Denied withRetryAfter(Duration wait) {
      return new Denied(code, message, wait);
    }

    /**
     * A denial with the code's default message.
     *
     * @param code what went wrong
     * @return a denial with {@link ErrorCode#defaultMessage()} and no advice to retry
     */
    public static Denied of(ErrorCode code) {
      return new Denied(code, code.defaultMessage());
    }

    @Override
    public boolean granted() {
      return false;
    }
  }
}
