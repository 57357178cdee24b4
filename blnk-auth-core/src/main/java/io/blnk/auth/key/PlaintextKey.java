package io.blnk.auth.key;

import java.util.Objects;

/**
 * A plaintext API key, as returned exactly once when a key is created or rotated. {@link
 * #toString()} shows only the display prefix, so the secret never reaches a log by accident; call
 * {@link #reveal()} to hand it to the caller. Immutable and thread-safe.
 */
public final class PlaintextKey {

  private final String value;
  private final KeyFormat format;

  PlaintextKey(String value, KeyFormat format) {
    this.value = value;
    this.format = format;
  }

  /**
   * Wraps an existing key.
   *
   * @param value the key's text
   * @param format the format it must be well formed for
   * @return the key
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code value} is not well formed for {@code format}
   */
  public static PlaintextKey of(String value, KeyFormat format) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(format, "format");
    if (!format.isWellFormed(value)) {
      throw new IllegalArgumentException("not a well-formed " + format.prefix() + " key");
    }
    return new PlaintextKey(value, format);
  }

  /**
   * <b>The secret itself.</b> Return it to the key's creator once; never log or store it.
   *
   * @return the plaintext key
   */
  public String reveal() {
    return value;
  }

  /**
   * The lookup id the store indexes (not secret on its own).
   *
   * @return the lookup id part of the key
   */
  public String lookupId() {
    return format.lookupId(value);
  }

  /**
   * The display prefix shown in listings.
   *
   * @return e.g. {@code blnk_Ab3dEf9h}
   */
  public String displayPrefix() {
    return format.displayPrefix(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PlaintextKey other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The display prefix followed by an ellipsis; never the secret. */
  @Override
  public String toString() {
    return "PlaintextKey[" + displayPrefix() + "…]";
  }
}
