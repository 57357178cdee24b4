package io.blnk.auth.key;

import java.util.Objects;

/**
 * The owner of an API key: any string the host uses for a team, service, tenant or user. Key
 * management is isolated by owner. Between 1 and {@value #MAX_LENGTH} characters, with no control
 * characters and not blank; otherwise stored and returned verbatim.
 *
 * @param value the owner text
 */
public record OwnerId(String value) {

  /** The longest owner id accepted, in UTF-16 code units. */
  public static final int MAX_LENGTH = 255;

  /**
   * Validates the text.
   *
   * @param value the owner text, stored verbatim
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the text is blank, too long or has control characters
   */
  public OwnerId {
    Objects.requireNonNull(value, "value");
    String problem = TextRules.problem(value, MAX_LENGTH);
    if (problem != null) {
      throw new IllegalArgumentException("invalid owner: " + problem);
    }
  }

  /**
   * An owner id from text; see the record's rules.
   *
   * @param value the owner text
   * @return the owner id
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException if the text is blank, too long or has control characters
   */
  public static OwnerId of(String value) {
    return new OwnerId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
