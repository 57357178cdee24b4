package io.blnk.auth;

import io.blnk.auth.usage.RateLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a granted request may also <em>use</em> the API now: its key's rate limits, its
 * owner's limit and its credits ({@link BlnkAuth#admit}). Carries what the {@code RateLimit-Policy}
 * and {@code RateLimit} fields report. Thread-safe.
 */
public final class Admission {

  /** The state of one rate limit after this request, for the {@code RateLimit} fields. */
  public record LimitState(
      String name, long quota, long windowSeconds, long remaining, long resetSeconds) {}

  private static final Admission UNLIMITED = new Admission(null, null, null);

  private final UsageHandle handle; // null: no limits
  private final AuthResult.Denied denial; // null: admitted
  private final long[] snapshot; // remaining per limit when known at decision time, else null

  Admission(UsageHandle handle, AuthResult.Denied denial, long[] snapshot) {
    this.handle = handle;
    this.denial = denial;
    this.snapshot = snapshot;
  }

  /**
   * Admitted, with no limit to report (the master key, or a key without limits).
   *
   * @return the shared admission with no limits
   */
  public static Admission unlimited() {
    return UNLIMITED;
  }

  /**
   * Whether the request may proceed.
   *
   * @return true if admitted; false if refused (see {@link #denial()})
   */
  public boolean admitted() {
    return denial == null;
  }

  /**
   * Why not: {@code GEN_RATE_LIMITED} (a limit) or {@code AUTH_USAGE_EXCEEDED} (credits), with
   * the wait before a retry.
   *
   * @return the refusal; empty when admitted
   */
  public Optional<AuthResult.Denied> denial() {
    return Optional.ofNullable(denial);
  }

  /**
   * The rate limits that applied, each with its state now (for a local bucket, read when called;
   * for a cluster bucket, as the database answered). Empty when none applied.
   *
   * @return the state of each limit that applied, in the key's order
   */
  public List<LimitState> limits() {
    if (handle == null) {
      return List.of();
    }
    long[] remaining = snapshot != null ? snapshot : handle.remainingNow();
    RateLimit[] specs = handle.specs();
    List<LimitState> out = new ArrayList<>(specs.length);
    for (int i = 0; i < specs.length; i++) {
      RateLimit spec = specs[i];
      long r = Math.max(0, remaining[i]);
      out.add(new LimitState(spec.name(), spec.limit(), spec.periodSeconds(), r, resetSeconds(spec, r)));
    }
    return out;
  }

  /** Seconds until a bucket with {@code remaining} tokens is full again (rounded up). */
  static long resetSeconds(RateLimit spec, long remaining) {
    long missing = spec.limit() - Math.min(spec.limit(), remaining);
    if (missing == 0) {
      return 0;
    }
    long limit = spec.limit();
    // missing ≤ 1e9 and period ≤ 86,400 s: the product fits a long.
    return (missing * spec.periodSeconds() + limit - 1) / limit;
  }

  @Override
  public String toString() {
    return "Admission[" + (denial == null ? "admitted" : denial.code().name()) + "]";
  }

  static Admission refused(UsageHandle handle, AuthResult.Denied denial, long[] snapshot) {
    return new Admission(handle, Objects.requireNonNull(denial, "denial"), snapshot);
  }
}
