package io.blnk.auth.key;

import io.blnk.auth.scope.ScopeSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about an API key apart from its secret: the fields listed and returned by the
 * management endpoints. Holds neither the plaintext nor the hash, so it is safe to print and to
 * return. Immutable and thread-safe.
 *
 * @param id the public identifier
 * @param name the human label
 * @param ownerId the owner
 * @param scopes what the key may do
 * @param expiresAt when it stops working; empty for a key that never expires
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request; empty before first use
 * @param revokedAt when it was revoked; empty while it is not
 * @param createdBy the key that created it; empty when the master key or code did
 * @param keyPrefix the display prefix, e.g. {@code blnk_Ab3dEf9h}
 */
public record ApiKey(
    ApiKeyId id,
    String name,
    OwnerId ownerId,
    ScopeSet scopes,
    Optional<Instant> expiresAt,
    Instant createdAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt,
    Optional<ApiKeyId> createdBy,
    String keyPrefix) {

  /** The longest name accepted, in UTF-16 code units. */
  public static final int MAX_NAME_LENGTH = 255;

  /**
   * Checks that no field is null and the name is a valid label.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the name is blank, too long or has control characters
   */
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    requireValidName(name);
  }

  /**
   * Checks a key name.
   *
   * @throws IllegalArgumentException saying what is wrong with the name
   */
  public static String requireValidName(String name) {
    Objects.requireNonNull(name, "name");
    String problem = TextRules.problem(name, MAX_NAME_LENGTH);
    if (problem != null) {
      throw new IllegalArgumentException("invalid name: " + problem);
    }
    return name;
  }

  /** Whether the key has been revoked. */
  public boolean revoked() {
    return revokedAt.isPresent();
  }

  /** Whether the key has expired at {@code now}: valid keys satisfy {@code now < expiresAt}. */
  public boolean expiredAt(Instant now) {
    return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
  }

  /** Whether the key authenticates at {@code now}: not revoked and not expired. */
  public boolean validAt(Instant now) {
    return !revoked() && !expiredAt(now);
  }

  /** A copy with another last-use time. */
  public ApiKey withLastUsedAt(Optional<Instant> lastUsed) {
    return new ApiKey(
        id, name, ownerId, scopes, expiresAt, createdAt, lastUsed, revokedAt, createdBy, keyPrefix);
  }

  /** A copy with another revocation time. */
  public ApiKey withRevokedAt(Optional<Instant> revoked) {
    return new ApiKey(
        id, name, ownerId, scopes, expiresAt, createdAt, lastUsedAt, revoked, createdBy, keyPrefix);
  }

  /** A copy with another expiry. */
  public ApiKey withExpiresAt(Optional<Instant> expires) {
    return new ApiKey(
        id, name, ownerId, scopes, expires, createdAt, lastUsedAt, revokedAt, createdBy, keyPrefix);
  }
}
