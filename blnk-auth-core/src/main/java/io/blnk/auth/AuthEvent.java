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
 * @param type what happened
 * @param at when
 * @param apiKeyId the key concerned, when known
 * @param ownerId its owner, when known
 * @param code the error code of a failure
 * @param keyHint a display prefix or lookup id of the presented key, or {@code ""}
 * @param remoteAddress the client address, or {@code ""} when unknown
 * @param detail more context, e.g. {@code ledgers:write} for a denial, or {@code ""}
 */
public record AuthEvent(
    Type type,
    Instant at,
    Optional<ApiKeyId> apiKeyId,
    Optional<OwnerId> ownerId,
    Optional<ErrorCode> code,
    String keyHint,
    String remoteAddress,
    String detail) {

  /** What happened. */
  public enum Type {
    /** A key was created. */
    KEY_CREATED,
    /** A key was rotated; {@code apiKeyId} is the old key, {@code detail} the new id. */
    KEY_ROTATED,
    /** A key was revoked. */
    KEY_REVOKED,
    /** A request authenticated. */
    AUTH_SUCCEEDED,
    /** A request failed to authenticate. */
    AUTH_FAILED,
    /** An authenticated request was refused for lack of permission. */
    PERMISSION_DENIED
  }

  /** Checks no part is null. */
  public AuthEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(keyHint, "keyHint");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(detail, "detail");
  }
}
