package io.blnk.auth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Writes every refusal of the filter and of {@code /api-keys}: the JSON envelope with the code's
 * status, {@code Cache-Control: no-store}, {@code Retry-After} (whole seconds, rounded up; at least
 * 1 on 429 and 503) and {@code Allow} on 405. Nothing is written once the response is committed.
 * Stateless and thread-safe.
 */
final class ErrorWriter {

  private ErrorWriter() {}

  /**
   * Answers {@code refusal}, discarding whatever the response had buffered, and records its code in
   * the request attribute {@link BlnkAuthFilter#REFUSAL_ATTRIBUTE}.
   *
   * @throws IOException if the client cannot be written to
   */
  static void write(HttpServletRequest request, HttpServletResponse response, Refusal refusal)
      throws IOException {
    request.setAttribute(BlnkAuthFilter.REFUSAL_ATTRIBUTE, refusal.code());
    if (response.isCommitted()) {
      return;
    }
    response.reset();
    RateLimitFields.write(request, response);
    long seconds = retryAfterSeconds(refusal.code().httpStatus(), refusal.retryAfter());
    if (seconds > 0) {
      response.setHeader("Retry-After", Long.toString(seconds));
    }
    if (!refusal.allow().isEmpty()) {
      response.setHeader("Allow", refusal.allow());
    }
    Json.send(request, response, refusal.code().httpStatus(), Json.error(refusal.code(), refusal.message()));
  }

  /**
   * The {@code Retry-After} seconds for a status and advised wait: the wait rounded up to whole
   * seconds, at least 1 for 429 and 503, and 0 (no header) otherwise when there is no advice.
   */
  static long retryAfterSeconds(int status, Duration wait) {
    long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
    if (status == 429 || status == 503) {
      return Math.max(1, seconds);
    }
    return seconds;
  }
}
