package io.blnk.auth;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something worth auditing or monitoring. Never carries a plaintext key, a master key or a hash:
 * failed attempts are identified by the key's lookup id or display prefix only.
 *
 * <p>Refusals ({@link Type#AUTH_FAILED}, {@link Type#PERMISSION_DENIED}) are aggregated per type,
 * code and remote address: the first of a kind is delivered at once, repeats within the
 * aggregation interval are counted and delivered as one event whose {@link #count()} says how many
 * refusals it stands for (its {@code keyHint}, {@code apiKeyId} and {@code ownerId} are empty, its
 * {@code detail} says {@code repeated N times in PT10S}). Every other event has a count of 1.
 *
 * @param type what happened
 * @param at when
 * @param apiKeyId the key concerned, when known
 * @param ownerId its owner, when known
 * @param code the error code of a failure
 * @param keyHint a display prefix or lookup id of the presented key, or {@code ""}
 * @param remoteAddress the client address, or {@code ""} when unknown
 * @param detail more context, e.g. {@code ledgers:write} for a denial, or {@code ""}
 * @param count how many occurrences this event stands for: 1, or more for an aggregated refusal
 */
public record AuthEvent(
    Type type,
    Instant at,
    Optional<ApiKeyId> apiKeyId,
    Optional<OwnerId> ownerId,
    Optional<ErrorCode> code,
    String keyHint,
    String remoteAddress,
    String detail,
    long count) {

  /** What happened. */
  public enum Type {
    /** A key was created. */
    KEY_CREATED,
    /** A key was rotated; {@code apiKeyId} is the old key, {@code detail} the new id. */
    KEY_ROTATED,
    /**
     * A key was revoked. A cascading revoke emits one per key it revoked, with {@code detail}
     * {@code cascade=<root id>} on the keys below the root.
     */
    KEY_REVOKED,
    /** A request authenticated. */
    AUTH_SUCCEEDED,
    /** A request failed to authenticate. */
    AUTH_FAILED,
    /** An authenticated request was refused for lack of permission. */
    PERMISSION_DENIED,
    /** A key's name, expiry, scopes, meta data or allowed addresses changed; {@code detail} names the fields. */
    KEY_UPDATED,
    /** A key was disabled. */
    KEY_DISABLED,
    /** A disabled key was enabled again. */
    KEY_ENABLED,
    /**
     * A key was reported leaked (e.g. by a secret-scanning partner); {@code detail} names the
     * source and the action taken. Never carries the reported token.
     */
    KEY_LEAKED
  }

  /**
   * Checks no part is null and the count is positive.
   *
   * @param type what happened
   * @param at when
   * @param apiKeyId the key concerned, when known
   * @param ownerId its owner, when known
   * @param code the error code of a failure
   * @param keyHint a display prefix or lookup id of the presented key, or {@code ""}
   * @param remoteAddress the client address, or {@code ""} when unknown
   * @param detail more context, e.g. {@code ledgers:write} for a denial, or {@code ""}
   * @param count how many occurrences this event stands for: 1, or more for an aggregated refusal
   * @throws NullPointerException if a part is null
   * @throws IllegalArgumentException if {@code count} is below 1
   */
  public AuthEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(keyHint, "keyHint");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(detail, "detail");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
  }

  /**
   * One occurrence (a count of 1).
   *
   * @param type what happened
   * @param at when
   * @param apiKeyId the key concerned, when known
   * @param ownerId its owner, when known
   * @param code the error code of a failure
   * @param keyHint a display prefix or lookup id of the presented key, or {@code ""}
   * @param remoteAddress the client address, or {@code ""} when unknown
   * @param detail more context, e.g. {@code ledgers:write} for a denial, or {@code ""}
   * @throws NullPointerException if a part is null
   */
  public AuthEvent(
      Type type,
      Instant at,
      Optional<ApiKeyId> apiKeyId,
      Optional<OwnerId> ownerId,
      Optional<ErrorCode> code,
      String keyHint,
      String remoteAddress,
      String detail) {
    this(type, at, apiKeyId, ownerId, code, keyHint, remoteAddress, detail, 1);
  }
}
