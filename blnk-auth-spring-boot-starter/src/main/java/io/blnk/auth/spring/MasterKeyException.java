package io.blnk.auth.spring;

/**
 * Start-up refused: secure mode without a master key, or with a weak one. Reported by {@link
 * MasterKeyFailureAnalyzer}; the message says what is wrong and never contains the key.
 */
public final class MasterKeyException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message what is wrong with the key (no part of it)
   * @param cause the library's own refusal, if any
   */
  public MasterKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
