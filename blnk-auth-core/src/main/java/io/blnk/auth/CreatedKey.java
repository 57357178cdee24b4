package io.blnk.auth;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.PlaintextKey;
import java.util.Objects;

/**
 * A key just created or rotated: its record and, this once, its plaintext. {@link #toString()}
 * never shows the plaintext.
 *
 * @param apiKey the stored record
 * @param plaintext the secret, to be returned to the caller once
 */
public record CreatedKey(ApiKey apiKey, PlaintextKey plaintext) {
  /**
   * Checks both parts are present.
   *
   * @param apiKey the stored record
   * @param plaintext the secret, to be returned to the caller once
   * @throws NullPointerException if a component is null
   */
  public CreatedKey {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(plaintext, "plaintext");
  }
}
