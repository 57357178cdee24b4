package io.blnk.auth;

import io.blnk.auth.internal.ScopeMatcher;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import java.security.Principal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made a request: the master key, or a scoped API key with its owner and scopes. Holds no
 * secret. Immutable and thread-safe.
 */
public final class BlnkPrincipal implements Principal {

  private static final BlnkPrincipal MASTER = new BlnkPrincipal(null, null, null, null, null);

  private final ApiKeyId apiKeyId;
  private final OwnerId ownerId;
  private final ScopeMatcher scopes;
  /** The exact expiry, or null for never. */
  private final Instant expiresAt;
  /** The expiry's millisecond (floor), {@code Long.MAX_VALUE} for never: the hot-path check. */
  private final long expiresAtMillis;
  /** Whether the expiry falls on a whole millisecond, so the millisecond check is exact. */
  private final boolean wholeMillis;
  /** The key's record as read when this principal was made, or null (master, or not given). */
  private final ApiKey key;

  private BlnkPrincipal(
      ApiKeyId apiKeyId, OwnerId ownerId, ScopeMatcher scopes, Instant expiresAt, ApiKey key) {
    this.key = key;
    this.apiKeyId = apiKeyId;
    this.ownerId = ownerId;
    this.scopes = scopes;
    this.expiresAt = expiresAt;
    this.expiresAtMillis = expiresAt == null ? Long.MAX_VALUE : expiresAt.toEpochMilli();
    this.wholeMillis = expiresAt == null || expiresAt.getNano() % 1_000_000 == 0;
  }

  /**
   * The master key: all access, no owner, no id.
   *
   * @return the single principal of the master key
   */
  public static BlnkPrincipal master() {
    return MASTER;
  }

  /**
   * A scoped key. Package-private: only the authenticator mints principals, from keys it found in
   * the store.
   *
   * @param expiresAt the key's expiry, or empty if it never expires
   */
  static BlnkPrincipal scoped(
      ApiKeyId apiKeyId, OwnerId ownerId, ScopeMatcher scopes, Optional<Instant> expiresAt) {
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(expiresAt, "expiresAt");
    return new BlnkPrincipal(apiKeyId, ownerId, scopes, expiresAt.orElse(null), null);
  }

  /**
   * A scoped key, with its whole record exposed through {@link #key()}.
   *
   * @param key the key's record as read from the store
   * @param scopes the key's scopes compiled against the host's registry
   * @throws IllegalArgumentException if {@code scopes} are not the key's
   */
  static BlnkPrincipal of(ApiKey key, ScopeMatcher scopes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(scopes, "scopes");
    if (!scopes.scopes().equals(key.scopes())) {
      throw new IllegalArgumentException("scopes are not the key's own");
    }
    return new BlnkPrincipal(key.id(), key.ownerId(), scopes, key.expiresAt().orElse(null), key);
  }

  /**
   * The key's record (name, owner, scopes, expiry, creator, meta data, allowed addresses, rotation
   * links, status fields) as read when the key was last loaded on this node: at most the record
   * cache's lifetime old, and never older than the last change this node heard of. Empty for the
   * master key. Never holds a secret or hash.
   *
   * @return the key's record; empty for the master key
   */
  public Optional<ApiKey> key() {
    return Optional.ofNullable(key);
  }

  /**
   * The key's meta data (a JSON object's text), if it has any; empty for the master key.
   *
   * @return the meta data text; empty when none is set or for the master key
   */
  public Optional<String> metaData() {
    return key == null ? Optional.empty() : key.metaData();
  }

  /** This key's usage controls on this node; null when nothing limits it (set before publication). */
  private UsageHandle usage;

  UsageHandle usage() {
    return usage;
  }

  /** A copy of this principal limited by {@code handle}. */
  BlnkPrincipal withUsage(UsageHandle handle) {
    BlnkPrincipal p = new BlnkPrincipal(apiKeyId, ownerId, scopes, expiresAt, key);
    p.usage = handle;
    return p;
  }

  /**
   * Whether this is the master key.
   *
   * @return true for the master key, false for a scoped key
   */
  public boolean isMaster() {
    return apiKeyId == null;
  }

  /**
   * The key's id; empty for the master key.
   *
   * @return the key's public id; empty for the master key
   */
  public Optional<ApiKeyId> apiKeyId() {
    return Optional.ofNullable(apiKeyId);
  }

  /**
   * The key's owner; empty for the master key.
   *
   * @return the key's owner; empty for the master key
   */
  public Optional<OwnerId> ownerId() {
    return Optional.ofNullable(ownerId);
  }

  /**
   * The key's scopes; {@code *:*} for the master key.
   *
   * @return the key's scopes, or the set of {@link Scope#ALL} for the master key
   */
  public ScopeSet scopes() {
    return scopes == null ? ScopeSet.of(Scope.ALL) : scopes.scopes();
  }

  /**
   * When the key expires; empty for the master key and keys that never expire.
   *
   * @return the key's expiry; empty for the master key or a key without expiry
   */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * Whether the key has expired ({@code now >= expiresAt}); the master key never does. Decided
   * on {@code nowMillis} alone except within the expiry's own millisecond when the expiry has a
   * sub-millisecond part; only then is {@code clock} read for the exact instant.
   */
  boolean expiredAt(long nowMillis, InstantSource clock) {
    if (nowMillis != expiresAtMillis || wholeMillis) {
      return nowMillis >= expiresAtMillis;
    }
    return !clock.instant().isBefore(expiresAt);
  }

  /**
   * Whether this principal may do {@code action} on {@code resource}. Allocation-free.
   *
   * @param resource a resource from this instance's registry
   * @param action the action asked for
   * @return true for the master key, or if a scope covers the action on the resource
   */
  public boolean allows(Resource resource, Action action) {
    return scopes == null || scopes.allows(resource, action);
  }

  /**
   * Whether this principal's scopes cover {@code scope}.
   *
   * @param scope the scope to check, e.g. one a key being created would get
   * @return true for the master key, or if this principal's scopes cover {@code scope}
   */
  public boolean covers(Scope scope) {
    return scopes == null || scopes.scopes().covers(scope);
  }

  /**
   * Principals are equal when they stand for the same key with the same owner, scopes and expiry
   * (the master key equals only itself), as {@link Principal#equals} asks.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BlnkPrincipal other) || isMaster() || other.isMaster()) {
      return false;
    }
    return apiKeyId.equals(other.apiKeyId)
        && ownerId.equals(other.ownerId)
        && scopes.scopes().equals(other.scopes.scopes())
        && Objects.equals(expiresAt, other.expiresAt);
  }

  @Override
  public int hashCode() {
    return isMaster() ? 0 : apiKeyId.hashCode();
  }

  /** The key's id, or {@code "master"}. */
  @Override
  public String getName() {
    return apiKeyId == null ? "master" : apiKeyId.value();
  }

  @Override
  public String toString() {
    return isMaster()
        ? "BlnkPrincipal[master]"
        : "BlnkPrincipal[" + apiKeyId + ", owner=" + ownerId + ", scopes=" + scopes.scopes() + "]";
  }
}
