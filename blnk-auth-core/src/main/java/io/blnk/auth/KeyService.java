package io.blnk.auth;

import io.blnk.auth.internal.Messages;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.key.PlaintextKey;
import io.blnk.auth.key.TextRules;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates, lists, revokes and rotates keys on behalf of a caller, enforcing the owner context and
 * delegation rules:
 *
 * <ul>
 *   <li>the master key must name an owner ({@code APIKEY_OWNER_REQUIRED}) and may grant any valid
 *       scope;
 *   <li>a scoped key acts for its own owner only ({@code AUTH_CROSS_OWNER_ACCESS}), may grant only
 *       scopes it holds ({@code AUTH_SCOPE_ESCALATION}), and may not create a key that outlives
 *       itself;
 *   <li>another owner's key is reported as not found ({@code APIKEY_NOT_FOUND}), never as existing.
 * </ul>
 *
 * <p>Whether the caller may use key management at all ({@code api-keys:*} scopes) is checked by
 * the caller of this service (the servlet filter), as for any other resource. Every method throws
 * {@link KeyServiceException} for a refused request and {@link
 * io.blnk.auth.store.StoreUnavailableException} when the store fails. Thread-safe.
 */
public final class KeyService {

  private static final int MAX_SCOPES = 64;
  private static final int MAX_CREATE_ATTEMPTS = 3;

  private final KeyStore store;
  private final KeyHasher hasher;
  private final KeyFormat format;
  private final ResourceRegistry registry;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Authenticator authenticator;
  private final EventSink events;
  private final boolean allowNonExpiring;
  private final Duration defaultGrace;
  private final Duration maxGrace;
  private final int maxActiveKeysPerOwner;

  KeyService(BlnkAuth.Builder b, Authenticator authenticator, EventSink events) {
    this.store = b.store;
    this.hasher = b.hasher;
    this.format = b.format;
    this.registry = b.registry;
    this.clock = b.clock;
    this.random = b.random;
    this.authenticator = authenticator;
    this.events = events;
    this.allowNonExpiring = b.allowNonExpiringKeys;
    this.defaultGrace = b.rotationGrace;
    this.maxGrace = b.maxRotationGrace;
    this.maxActiveKeysPerOwner = b.maxActiveKeysPerOwner;
  }

  /**
   * Creates a key.
   *
   * @return the stored record and, this once, the plaintext key
   * <p>A name or owner holding a control, separator (other than the plain space) or formatting
   * character is refused: see {@link TextRules#unsafeCharacter}.
   *
   * @throws KeyServiceException {@code APIKEY_OWNER_REQUIRED}, {@code AUTH_CROSS_OWNER_ACCESS},
   *     {@code APIKEY_INVALID} (naming the field), {@code AUTH_SCOPE_ESCALATION} or {@code
   *     APIKEY_LIMIT_EXCEEDED} (the owner has the most active keys allowed; the message names the
   *     limit)
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed; nothing was stored
   */
  public CreatedKey create(BlnkPrincipal caller, CreateKeyRequest request) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(request, "request");
    if (caller.isMaster() && request.owner().isPresent()) {
      requireSafe("owner", request.owner().get()); // a scoped caller's owner is its own, stored
    }
    OwnerId owner = ownerFor(caller, request.owner());
    request.name().ifPresent(n -> requireSafe("name", n));
    String name = validName(request.name());
    ScopeSet scopes = validScopes(request.scopes());
    Instant now = now();
    Optional<Instant> expiresAt = validExpiry(caller, request.expiresAt(), now);
    requireNoEscalation(caller, scopes);
    return insertNew(caller, name, owner, scopes, expiresAt, now);
  }

  /**
   * Lists an owner's keys, newest first, revoked and expired ones included.
   *
   * @param owner the owner to list; required for the master key, defaults to a scoped caller's own
   * @throws KeyServiceException {@code APIKEY_OWNER_REQUIRED}, {@code AUTH_CROSS_OWNER_ACCESS} or
   *     {@code APIKEY_INVALID}
   */
  public List<ApiKey> list(BlnkPrincipal caller, Optional<String> owner) {
    Objects.requireNonNull(caller, "caller");
    return store.listByOwner(ownerFor(caller, owner));
  }

  /**
   * Revokes a key. Idempotent: the first revocation time is kept. Before this returns, this node
   * refuses the key; other nodes learn through the store's revocation feed.
   *
   * <p>Delegation is symmetric: a scoped caller may revoke only a key whose scopes its own cover,
   * the same rule as for create and rotate, so a weaker key cannot take a stronger one out of
   * service.
   *
   * @param owner an owner the key must belong to; a scoped caller may name only its own
   * @return the revoked key
   * @throws KeyServiceException {@code APIKEY_NOT_FOUND} for an unknown id or another owner's key,
   *     {@code AUTH_CROSS_OWNER_ACCESS} if a scoped caller names another owner, {@code
   *     AUTH_SCOPE_ESCALATION} if the key holds a scope the caller's scopes do not cover
   */
  public ApiKey revoke(BlnkPrincipal caller, String apiKeyId, Optional<String> owner) {
    ApiKey key = findForCaller(caller, apiKeyId, owner);
    requireNoEscalation(caller, key.scopes());
    RevokeResult result = store.revoke(key.id(), now());
    ApiKey revoked = result.key().orElseThrow(KeyService::notFound);
    authenticator.keyChanged(key.id());
    if (result instanceof RevokeResult.Revoked) {
      // Only the revocation that changed something is an event: re-revoking emits nothing.
      events.keyEvent(AuthEvent.Type.KEY_REVOKED, caller, key.id(), key.ownerId(), "");
    }
    return revoked;
  }

  /**
   * Rotates a key: a new key with the same name, owner, scopes and expiry, while the old key keeps
   * working for a grace period and then expires.
   *
   * @param grace how long the old key keeps working; empty for the configured default
   * @return the new key, with its plaintext
   * @throws KeyServiceException {@code APIKEY_NOT_FOUND}, {@code AUTH_CROSS_OWNER_ACCESS}, {@code
   *     AUTH_SCOPE_ESCALATION}, {@code APIKEY_LIMIT_EXCEEDED}, or {@code APIKEY_INVALID} for a
   *     revoked or expired key (checked again by the store under its lock) or a grace
   *     outside {@code [0, max]}
   */
  public CreatedKey rotate(
      BlnkPrincipal caller, String apiKeyId, Optional<String> owner, Optional<Duration> grace) {
    Objects.requireNonNull(grace, "grace");
    ApiKey old = findForCaller(caller, apiKeyId, owner);
    Instant now = now();
    if (!old.validAt(now)) {
      throw invalid("api_key_id: " + old.id() + " is revoked or expired and cannot be rotated");
    }
    Duration g = grace.orElse(defaultGrace);
    if (g.isNegative() || g.compareTo(maxGrace) > 0) {
      throw invalid("grace_period: " + g + " must be between PT0S and " + maxGrace);
    }
    requireNoEscalation(caller, old.scopes());
    if (!caller.isMaster()) {
      requireWithinCaller(caller, old.expiresAt());
    }
    Instant notAfter = now.plus(g);
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      Fresh fresh = fresh(caller, old.name(), old.ownerId(), old.scopes(), old.expiresAt(), now);
      RotateResult result =
          store.rotate(fresh.stored, old.id(), notAfter, now, maxActiveKeysPerOwner);
      if (result instanceof RotateResult.Collision) {
        continue;
      }
      if (result instanceof RotateResult.NotFound) {
        throw notFound();
      }
      if (result instanceof RotateResult.NotActive) {
        // Revoked or expired since it was read: the store refused it under its lock.
        authenticator.keyChanged(old.id());
        throw invalid("api_key_id: " + old.id() + " is revoked or expired and cannot be rotated");
      }
      if (result instanceof RotateResult.LimitReached limit) {
        throw limitExceeded(limit.limit());
      }
      authenticator.keyChanged(old.id());
      authenticator.created(fresh.stored.lookupId());
      events.keyEvent(
          AuthEvent.Type.KEY_ROTATED, caller, old.id(), old.ownerId(), "new=" + fresh.stored.key().id());
      return new CreatedKey(fresh.stored.key(), fresh.plaintext);
    }
    throw new IllegalStateException("could not generate a unique key");
  }

  private CreatedKey insertNew(
      BlnkPrincipal caller,
      String name,
      OwnerId owner,
      ScopeSet scopes,
      Optional<Instant> expiresAt,
      Instant now) {
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      Fresh fresh = fresh(caller, name, owner, scopes, expiresAt, now);
      InsertResult result = store.insert(fresh.stored, maxActiveKeysPerOwner, now);
      if (result instanceof InsertResult.LimitReached limit) {
        throw limitExceeded(limit.limit());
      }
      if (result instanceof InsertResult.Inserted) {
        authenticator.created(fresh.stored.lookupId());
        events.keyEvent(AuthEvent.Type.KEY_CREATED, caller, fresh.stored.key().id(), owner, "");
        return new CreatedKey(fresh.stored.key(), fresh.plaintext);
      }
    }
    throw new IllegalStateException("could not generate a unique key");
  }

  private record Fresh(StoredKey stored, PlaintextKey plaintext) {}

  private Fresh fresh(
      BlnkPrincipal caller,
      String name,
      OwnerId owner,
      ScopeSet scopes,
      Optional<Instant> expiresAt,
      Instant now) {
    PlaintextKey plaintext = format.generate(random);
    String hash = authenticator.limiter().hash(plaintext.reveal().getBytes(StandardCharsets.UTF_8));
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            name,
            owner,
            scopes,
            expiresAt,
            now,
            Optional.empty(),
            Optional.empty(),
            caller.apiKeyId(),
            plaintext.displayPrefix());
    return new Fresh(new StoredKey(key, plaintext.lookupId(), hash), plaintext);
  }

  private ApiKey findForCaller(BlnkPrincipal caller, String apiKeyId, Optional<String> owner) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    Objects.requireNonNull(owner, "owner");
    Optional<OwnerId> required = Optional.empty();
    if (caller.isMaster()) {
      if (present(owner)) {
        required = Optional.of(validOwner(owner.get()));
      }
    } else {
      required = Optional.of(ownerFor(caller, owner));
    }
    if (!ApiKeyId.isValid(apiKeyId)) {
      throw notFound();
    }
    ApiKey key = store.findById(new ApiKeyId(apiKeyId)).orElseThrow(KeyService::notFound);
    if (required.isPresent() && !required.get().equals(key.ownerId())) {
      throw notFound();
    }
    return key;
  }

  /** The owner a caller acts for, given what it asked. */
  private OwnerId ownerFor(BlnkPrincipal caller, Optional<String> asked) {
    if (caller.isMaster()) {
      if (!present(asked)) {
        throw new KeyServiceException(
            ErrorCode.APIKEY_OWNER_REQUIRED, ErrorCode.APIKEY_OWNER_REQUIRED.defaultMessage());
      }
      return validOwner(asked.get());
    }
    OwnerId own = caller.ownerId().orElseThrow();
    if (present(asked) && !asked.get().equals(own.value())) {
      throw new KeyServiceException(
          ErrorCode.AUTH_CROSS_OWNER_ACCESS, ErrorCode.AUTH_CROSS_OWNER_ACCESS.defaultMessage());
    }
    return own;
  }

  private static boolean present(Optional<String> value) {
    return value.isPresent() && !value.get().isEmpty();
  }

  private static OwnerId validOwner(String text) {
    try {
      return new OwnerId(text);
    } catch (IllegalArgumentException e) {
      throw invalid("owner " + quote(text) + ": " + e.getMessage());
    }
  }

  /** A label submitted for a new key holds nothing that could forge a log line or reorder text. */
  private static void requireSafe(String field, String value) {
    Optional<String> unsafe = TextRules.unsafeCharacter(value);
    if (unsafe.isPresent()) {
      throw invalid(
          field
              + " "
              + quote(value)
              + ": must not contain control, separator or formatting characters; found "
              + unsafe.get());
    }
  }

  private static String validName(Optional<String> name) {
    if (name.isEmpty()) {
      throw invalid("name is required");
    }
    try {
      return ApiKey.requireValidName(name.get());
    } catch (IllegalArgumentException e) {
      throw invalid("name " + quote(name.get()) + ": " + e.getMessage());
    }
  }

  private ScopeSet validScopes(List<String> texts) {
    if (texts.isEmpty()) {
      throw invalid("scopes is required: give at least one scope, e.g. \"ledgers:read\"");
    }
    if (texts.size() > MAX_SCOPES) {
      throw invalid("scopes: at most " + MAX_SCOPES + " scopes, got " + texts.size());
    }
    List<Scope> scopes = new ArrayList<>(texts.size());
    for (String text : texts) {
      try {
        scopes.add(registry.requireKnown(Scope.parse(text)));
      } catch (IllegalArgumentException e) {
        throw invalid("scopes: " + e.getMessage());
      }
    }
    return new ScopeSet(scopes);
  }

  private Optional<Instant> validExpiry(BlnkPrincipal caller, Optional<String> text, Instant now) {
    Optional<Instant> expiresAt = Optional.empty();
    if (text.isPresent()) {
      Instant parsed = parseTimestamp(text.get());
      if (!parsed.isAfter(now)) {
        throw invalid("expires_at " + quote(text.get()) + ": must be in the future");
      }
      expiresAt = Optional.of(parsed);
    } else if (!allowNonExpiring) {
      throw invalid("expires_at is required: keys that never expire are not enabled");
    }
    if (!caller.isMaster()) {
      requireWithinCaller(caller, expiresAt);
    }
    return expiresAt;
  }

  private static void requireWithinCaller(BlnkPrincipal caller, Optional<Instant> expiresAt) {
    Optional<Instant> limit = caller.expiresAt();
    if (limit.isPresent() && (expiresAt.isEmpty() || expiresAt.get().isAfter(limit.get()))) {
      throw invalid(
          "expires_at "
              + quote(expiresAt.map(Instant::toString).orElse("never"))
              + ": a key may not outlive the key that creates it (expires "
              + limit.get()
              + ")");
    }
  }

  /** RFC 3339 with an offset; see {@link Timestamps} for leap seconds and the latest instant. */
  private static Instant parseTimestamp(String text) {
    return Timestamps.parse("expires_at", text);
  }

  private static void requireNoEscalation(BlnkPrincipal caller, ScopeSet requested) {
    if (caller.isMaster()) {
      return;
    }
    Optional<Scope> beyond = caller.scopes().firstUncovered(requested);
    if (beyond.isPresent()) {
      throw new KeyServiceException(
          ErrorCode.AUTH_SCOPE_ESCALATION,
          ErrorCode.AUTH_SCOPE_ESCALATION.defaultMessage() + ": " + beyond.get());
    }
  }

  private Instant now() {
    // Stored times keep microseconds: every supported database can hold them exactly.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static String quote(String text) {
    return Messages.quote(text);
  }

  private static KeyServiceException invalid(String message) {
    return new KeyServiceException(ErrorCode.APIKEY_INVALID, message);
  }

  private static KeyServiceException limitExceeded(int limit) {
    return new KeyServiceException(
        ErrorCode.APIKEY_LIMIT_EXCEEDED,
        "Owner has reached the limit of "
            + limit
            + " active API keys: revoke keys it no longer uses before creating more");
  }

  private static KeyServiceException notFound() {
    return new KeyServiceException(
        ErrorCode.APIKEY_NOT_FOUND, ErrorCode.APIKEY_NOT_FOUND.defaultMessage());
  }
}
