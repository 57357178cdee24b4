package io.blnk.auth.servlet;

import io.blnk.auth.AuthResult;
import io.blnk.auth.ErrorCode;
import java.time.Duration;
import java.util.Objects;

/**
 * A request the filter answers itself with the JSON envelope: what went wrong, the caller's
 * message, how long to wait before a retry ({@link Duration#ZERO} for no advice) and, for {@code
 * 405}, the methods allowed (else empty).
 *
 * @param code the error code; its HTTP status is the response's
 * @param message the message for the caller
 * @param retryAfter the wait answered as {@code Retry-After}
 * @param allow the {@code Allow} header value, or {@code ""} for none
 */
record Refusal(ErrorCode code, String message, Duration retryAfter, String allow) {

  Refusal {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(allow, "allow");
  }

  /** A refusal with a message and no retry advice. */
  static Refusal of(ErrorCode code, String message) {
    return new Refusal(code, message, Duration.ZERO, "");
  }

  /** A refusal with the code's default message. */
  static Refusal of(ErrorCode code) {
    return of(code, code.defaultMessage());
  }

  /** 503 {@code AUTH_STORE_UNAVAILABLE}, with the store circuit's retry advice when it gave one. */
  static Refusal storeUnavailable(io.blnk.auth.store.StoreUnavailableException e) {
    ErrorCode code = ErrorCode.AUTH_STORE_UNAVAILABLE;
    return new Refusal(code, code.defaultMessage(), e.retryAfter().orElse(Duration.ZERO), "");
  }

  /** The core's denial, retry advice included. */
  static Refusal of(AuthResult.Denied denied) {
    return new Refusal(denied.code(), denied.message(), denied.retryAfter(), "");
  }

  /** 405 {@code GEN_METHOD_NOT_ALLOWED} listing the allowed methods. */
  static Refusal methodNotAllowed(String method, String allow) {
    return new Refusal(
        ErrorCode.GEN_METHOD_NOT_ALLOWED,
        "Method " + Text.quote(method) + " not allowed here; allowed: " + allow,
        Duration.ZERO,
        allow);
  }
}
