package io.blnk.auth.key;

import java.util.Objects;
import java.util.UUID;

/**
 * The public identifier of an API key: {@code api_key_} followed by a lowercase UUID v4, e.g.
 * {@code api_key_879f0ecb-e29f-4137-801b-1048366381db}. It appears in listings and in {@code
 * BLNK_GENERATED_BY}; it is not a secret.
 *
 * @param value the identifier text
 */
public record ApiKeyId(String value) {

  /** The text every identifier starts with. */
  public static final String PREFIX = "api_key_";

  /**
   * Validates the form.
   *
   * @param value the identifier text
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is not {@code api_key_} + lowercase UUID v4
   */
  public ApiKeyId {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "invalid api_key_id: expected api_key_ followed by a lowercase UUID v4");
    }
  }

  /**
   * A new random identifier (UUID v4 from the JDK's secure random source). Thread-safe.
   *
   * @return a fresh identifier
   */
  public static ApiKeyId random() {
    return new ApiKeyId(PREFIX + UUID.randomUUID());
  }

  /**
   * Parses an identifier.
   *
   * @param text the identifier, e.g. {@code api_key_879f0ecb-e29f-4137-801b-1048366381db}
   * @return the identifier
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if the text is not a valid identifier
   */
  public static ApiKeyId parse(String text) {
    return new ApiKeyId(text);
  }

  /**
   * Whether {@code text} is a valid identifier; never throws.
   *
   * @param text any text, or null
   * @return true for {@code api_key_} + a lowercase UUID v4
   */
  public static boolean isValid(String text) {
    if (text == null || text.length() != PREFIX.length() + 36 || !text.startsWith(PREFIX)) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(PREFIX.length() + i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    char version = text.charAt(PREFIX.length() + 14);
    char variant = text.charAt(PREFIX.length() + 19);
    return version == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
  }

  @Override
  public String toString() {
    return value;
  }
}
