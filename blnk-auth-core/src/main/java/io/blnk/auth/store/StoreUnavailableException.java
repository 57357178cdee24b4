package io.blnk.auth.store;

import java.util.Objects;

/**
 * The key store could not be reached or failed to complete an operation. Authentication answers
 * {@code AUTH_STORE_UNAVAILABLE} (never a grant, never "Invalid API key"); writes report it and
 * leave nothing half-written. The message never contains a key or a hash.
 */
public final class StoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String operation;

  /**
   * Creates the exception.
   *
   * @param operation what the store was doing, e.g. {@code "findByLookupId"}
   * @param message what went wrong, free of secrets
   * @param cause the underlying failure, or null
   */
  public StoreUnavailableException(String operation, String message, Throwable cause) {
    super(Objects.requireNonNull(operation, "operation") + ": " + message, cause);
    this.operation = operation;
  }

  /** What the store was doing, e.g. {@code "insert"} or {@code "findByLookupId"}. */
  public String operation() {
    return operation;
  }
}
