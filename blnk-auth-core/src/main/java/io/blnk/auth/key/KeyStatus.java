package io.blnk.auth.key;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a key stands at a given time; see {@link ApiKey#status(java.time.Instant)}. When several
 * apply, the first in this order wins: revoked, expired, disabled, rotating, active.
 */
public enum KeyStatus {
  /** Authenticates: not revoked, not expired, not disabled, not replaced by a rotation. */
  ACTIVE,
  /** Disabled: refused with {@code AUTH_DISABLED_API_KEY} until it is enabled again. */
  DISABLED,
  /** Past its expiry: refused, for good. */
  EXPIRED,
  /** Revoked: refused, for good. */
  REVOKED,
  /** Replaced by a rotation and inside its grace period: still authenticates until it expires. */
  ROTATING;

  /**
   * The lower-case name used in JSON and in {@code ?status=}, e.g. {@code active}.
   *
   * @return the constant's name in lower case
   */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The status named by {@link #token()}, or empty for anything else. Case-sensitive.
   *
   * @param token a lower-case status name, e.g. {@code revoked}
   * @return the status; empty if {@code token} names none
   */
  public static Optional<KeyStatus> fromToken(String token) {
    for (KeyStatus s : values()) {
      if (s.token().equals(token)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
