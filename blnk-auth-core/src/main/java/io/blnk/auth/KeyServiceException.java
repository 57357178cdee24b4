package io.blnk.auth;

import java.util.Objects;

/**
 * A key-management request was refused: the caller may not do it, or its input is invalid. Carries
 * the {@link ErrorCode} to answer with and a message safe to show the caller (never a secret).
 */
public final class KeyServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The error code to answer with; see {@link #code()}. */
  private final ErrorCode code;

  /**
   * Creates the exception.
   *
   * @param code what went wrong
   * @param message a message for the caller, naming the field and value where one is at fault
   */
  public KeyServiceException(ErrorCode code, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * The error code to answer with.
   *
   * @return the code, which also gives the HTTP status
   */
  public ErrorCode code() {
    return code;
  }
}
