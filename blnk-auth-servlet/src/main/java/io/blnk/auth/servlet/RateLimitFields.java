package io.blnk.auth.servlet;

import io.blnk.auth.Admission;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;

/**
 * The {@code RateLimit-Policy} and {@code RateLimit} response fields of
 * draft-ietf-httpapi-ratelimit-headers (draft 10), one list member per limit that applied to the
 * request, e.g.
 *
 * <pre>
 * RateLimit-Policy: "default";q=100;w=1, "owner";q=1000;w=60
 * RateLimit: "default";r=42;t=1, "owner";r=990;t=1
 * </pre>
 *
 * {@code q} is the limit, {@code w} its period in seconds, {@code r} the tokens left after this
 * request, {@code t} the seconds until the bucket is full again. Written on granted and refused
 * requests alike; nothing when no limit applied (the master key, a key without limits).
 */
final class RateLimitFields {

  /** The request attribute the gate leaves the {@link Admission} in. */
  static final String ATTRIBUTE = RateLimitFields.class.getName() + ".admission";

  private RateLimitFields() {}

  /** Sets the fields for the admission {@code request} carries, if any. */
  static void write(HttpServletRequest request, HttpServletResponse response) {
    Object a = request.getAttribute(ATTRIBUTE);
    if (!(a instanceof Admission admission)) {
      return;
    }
    List<Admission.LimitState> limits = admission.limits();
    if (limits.isEmpty()) {
      return;
    }
    response.setHeader("RateLimit-Policy", policy(limits));
    response.setHeader("RateLimit", state(limits));
  }

  static String policy(List<Admission.LimitState> limits) {
    StringBuilder out = new StringBuilder();
    for (Admission.LimitState l : limits) {
      if (out.length() > 0) {
        out.append(", ");
      }
      // names are [a-z0-9_-]: a valid sf-string without escapes
      out.append('"').append(l.name()).append("\";q=").append(l.quota()).append(";w=").append(l.windowSeconds());
    }
    return out.toString();
  }

  static String state(List<Admission.LimitState> limits) {
    StringBuilder out = new StringBuilder();
    for (Admission.LimitState l : limits) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append('"').append(l.name()).append("\";r=").append(l.remaining()).append(";t=").append(l.resetSeconds());
    }
    return out.toString();
  }
}
