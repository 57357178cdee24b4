package io.blnk.auth.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The key store could not be reached or failed to complete an operation. Authentication answers
 * {@code AUTH_STORE_UNAVAILABLE} (never a grant, never "Invalid API key"); writes report it and
 * leave nothing half-written. The message never contains a key or a hash.
 */
public final class StoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What the store was doing; see {@link #operation()}. */
  private final String operation;
  private final transient Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param operation what the store was doing, e.g. {@code "findByLookupId"}
   * @param message what went wrong, free of secrets
   * @param cause the underlying failure, or null
   */
  public StoreUnavailableException(String operation, String message, Throwable cause) {
    this(operation, message, cause, null);
  }

  /**
   * Creates the exception with a hint for callers: when a retry may succeed.
   *
   * @param operation what the store was doing, e.g. {@code "findByLookupId"}
   * @param message what went wrong, free of secrets
   * @param cause the underlying failure, or null
   * @param retryAfter how long callers should wait before trying again, or null for no hint
   */
  public StoreUnavailableException(
      String operation, String message, Throwable cause, Duration retryAfter) {
    super(Objects.requireNonNull(operation, "operation") + ": " + message, cause);
    this.operation = operation;
    this.retryAfter = retryAfter;
  }

  /**
   * What the store was doing, e.g. {@code "insert"} or {@code "findByLookupId"}.
   *
   * @return the name of the failed operation
   */
  public String operation() {
    return operation;
  }

  /**
   * How long callers should wait before trying again (answered as {@code Retry-After}), when the
   * store knows: for example while its circuit is open.
   *
   * @return the advised wait; empty when the store does not know
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
