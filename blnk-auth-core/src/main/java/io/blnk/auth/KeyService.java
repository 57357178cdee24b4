package io.blnk.auth;

import io.blnk.auth.usage.UsagePolicy;

import io.blnk.auth.internal.Messages;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.IpAllowList;
import io.blnk.auth.key.KeyStatus;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.key.PlaintextKey;
import io.blnk.auth.key.TextRules;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.CascadeResult;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import io.blnk.auth.store.UpdateResult;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsageStore;
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
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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
 * the caller of this service (the servlet filter), as for any other resource.
 *
 * <p><b>Outcomes and failures.</b> A refused request is a value: each call returns a {@link
 * KeyOutcome}, {@link KeyOutcome.Done} with the result or {@link KeyOutcome.Refused} with the
 * {@link ErrorCode} and message to answer with, and a refused call has changed nothing. Code that
 * treats any refusal as fatal (a script, a tool, a test fixture) calls {@link
 * KeyOutcome#orElseThrow()}, which throws {@link KeyServiceException}. Three things stay
 * exceptions, because no caller can answer them as a request's outcome:
 *
 * <ul>
 *   <li>a programming error: a null argument ({@code NullPointerException}), a {@link KeyQuery}
 *       with a status given to a call about one key ({@code IllegalArgumentException});
 *   <li>a store that cannot be reached: {@link io.blnk.auth.store.StoreUnavailableException},
 *       unchecked, with the operation and the wait it advises. It is a failure of infrastructure,
 *       not an answer to this request: the servlet filter already turns it
 *       into {@code AUTH_STORE_UNAVAILABLE} (503, {@code Retry-After}) in one place, and a {@code
 *       Refused} promises that nothing changed, which the service cannot promise about a store
 *       call whose end it did not see;
 *   <li>three fresh keys in a row colliding with stored ones, which the store reports as a value
 *       ({@code InsertResult.Duplicate}, {@code RotateResult.Collision}) and which is retried, so
 *       running out of retries is an {@code IllegalStateException} that random keys make
 *       practically impossible.
 * </ul>
 *
 * <p>Who a call is about is a {@link KeyQuery}: {@code KeyQuery.owner("acme")} names the owner,
 * {@link KeyQuery#anyOwner()} names none (a scoped caller's own owner; for the master key, a key of
 * any owner by id). Thread-safe.
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
  /** The longest a key may live from creation to expiry, or null for no limit. */
  private final Duration maxKeyLifetime;

  KeyService(AuthSettings s, KeyStore store, Authenticator authenticator, EventSink events) {
    this.store = store;
    this.hasher = s.hasher();
    this.format = s.keyFormat();
    this.registry = s.registry();
    this.clock = s.clock();
    this.random = s.random();
    this.authenticator = authenticator;
    this.events = events;
    this.allowNonExpiring = s.allowNonExpiringKeys();
    this.defaultGrace = s.rotationGrace();
    this.maxGrace = s.maxRotationGrace();
    this.maxActiveKeysPerOwner = s.maxActiveKeysPerOwner();
    this.maxKeyLifetime = s.maxKeyLifetime().orElse(null);
  }

  /**
   * Creates a key.
   *
   * <p>A name or owner holding a control, separator (other than the plain space) or formatting
   * character is refused: see {@link TextRules#unsafeCharacter}.
   *
   * <p>A scoped caller that has rate limits or credits itself cannot give the new key usage
   * controls of its own (that is an {@code AUTH_SCOPE_ESCALATION}): the new key shares the caller's
   * credits and buckets instead, as a rotation successor shares its predecessor's. Likewise a
   * scoped caller restricted to some client addresses ({@code allowed_ips}) gives the new key its
   * own ranges when none are asked for, and cannot give it ranges outside its own ({@code
   * AUTH_SCOPE_ESCALATION}); the same holds for an update's {@code allowed_ips} and for the key it
   * rotates.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param request the fields of the new key, as given
   * @return the stored record and, this once, the plaintext key; or refused with {@code
   *     APIKEY_OWNER_REQUIRED}, {@code AUTH_CROSS_OWNER_ACCESS}, {@code APIKEY_INVALID} (naming the
   *     field), {@code AUTH_SCOPE_ESCALATION}, {@code APIKEY_LIMIT_EXCEEDED} (the owner has the
   *     most active keys allowed; the message names the limit), {@code AUTH_EXPIRED_API_KEY} (the
   *     calling key was revoked since it authenticated) or {@code GEN_RATE_LIMITED} (too many keys
   *     are being hashed at once; retry after the advised wait)
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed; nothing was stored
   * @throws NullPointerException if an argument is null
   */
  public KeyOutcome<CreatedKey> create(BlnkPrincipal caller, CreateKeyRequest request) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(request, "request");
    return outcome(() -> createNow(caller, request));
  }

  private CreatedKey createNow(BlnkPrincipal caller, CreateKeyRequest request) {
    if (caller.isMaster() && request.owner().isPresent()) {
      requireSafe("owner", request.owner().get()); // a scoped caller's owner is its own, stored
    }
    OwnerId owner = ownerFor(caller, request.owner());
    request.name().ifPresent(n -> requireSafe("name", n));
    String name = validName(request.name());
    ScopeSet scopes = validScopes(request.scopes());
    Instant now = now();
    Optional<Instant> expiresAt = validExpiry(caller, request.expiresAt(), now);
    requireWithinLifetime(expiresAt, now);
    Optional<String> metaData = validMetaData(request.metaData());
    IpAllowList allowedIps = allowedIpsForNewKey(caller, validAllowedIps(request.allowedIps()));
    requireNoEscalation(caller, scopes);
    if (request.usage().sharedWith().isPresent()) {
      throw invalid("usage: a new key cannot share another key's credits or limits");
    }
    UsagePolicy usage = usageForNewKey(caller, request.usage());
    CreatedKey created =
        insertNew(
            caller,
            name,
            owner,
            scopes,
            expiresAt,
            now,
            b -> b.metaData(metaData).allowedIps(allowedIps).usage(usage),
            key -> balanceFor(key, now));
    if (usage.sharedWith().isPresent()) {
      return new CreatedKey(withBalance(created.apiKey()), created.plaintext());
    }
    return created;
  }

  /**
   * Writes a new key's own credit balance before the key itself, so that a store failing between
   * the two leaves no key behind (a key row without its balance would be unusable, yet count
   * against its owner's limit until it expired). Returns how to take the balance back if the key
   * is then not stored; a balance left behind by a failure of that too belongs to no key.
   */
  private Runnable balanceFor(ApiKey key, Instant now) {
    if (key.usage().sharedWith().isPresent() || key.usage().credits().isEmpty()) {
      return () -> {};
    }
    UsageStore usageStore = authenticator.usage().store();
    usageStore.defineCredits(key.usageId(), key.usage().credits().get(), now);
    return () -> usageStore.removeCredits(key.usageId());
  }

  /**
   * The usage controls of a key {@code caller} creates. A caller without usage controls (the master
   * key, or a scoped key nothing limits) grants what was asked. A caller with rate limits or
   * credits cannot hand out a way around them: its new key shares its own balance and buckets (as
   * a rotation successor shares its predecessor's), and asking for other controls is an
   * escalation.
   */
  private static UsagePolicy usageForNewKey(BlnkPrincipal caller, UsagePolicy requested) {
    Optional<ApiKey> callerKey = caller.key();
    if (callerKey.isEmpty() || callerKey.get().usage().isNone()) {
      return requested;
    }
    if (!requested.isNone()) {
      throw usageEscalation(
          "a key with usage controls cannot give a new key controls of its own; its keys share its"
              + " own");
    }
    ApiKey limited = callerKey.get();
    return limited.usage().sharedWith(new ApiKeyId(limited.usageId()));
  }

  /**
   * The address ranges of a key {@code caller} creates. A caller restricted to some ranges cannot
   * hand out a key usable from elsewhere: without ranges of its own the new key gets the caller's,
   * and ranges outside the caller's are an escalation.
   */
  private static IpAllowList allowedIpsForNewKey(BlnkPrincipal caller, IpAllowList requested) {
    IpAllowList own = callerAddresses(caller);
    if (requested.isUnrestricted()) {
      return own;
    }
    requireWithinCallerAddresses(caller, requested);
    return requested;
  }

  /** The ranges the caller itself may be used from: {@link IpAllowList#ANY} for the master key. */
  private static IpAllowList callerAddresses(BlnkPrincipal caller) {
    return caller.key().map(ApiKey::allowedIps).orElse(IpAllowList.ANY);
  }

  /** Refuses a key usable from addresses the caller itself may not use. */
  private static void requireWithinCallerAddresses(BlnkPrincipal caller, IpAllowList ips) {
    if (!callerAddresses(caller).covers(ips)) {
      throw new Refusal(
          ErrorCode.AUTH_SCOPE_ESCALATION,
          ErrorCode.AUTH_SCOPE_ESCALATION.defaultMessage()
              + ": allowed_ips: a key restricted to "
              + String.join(", ", callerAddresses(caller).ranges())
              + " cannot grant use from other addresses");
    }
  }

  /** Refuses a change of usage controls by a caller that has some itself. */
  private static void requireUnlimitedForUsage(BlnkPrincipal caller) {
    Optional<ApiKey> callerKey = caller.key();
    if (callerKey.isPresent() && !callerKey.get().usage().isNone()) {
      throw usageEscalation(
          "a key with usage controls cannot change them; only the master key or a key without"
              + " them can");
    }
  }

  /**
   * Refuses a limited caller the rotation of a key that does not share its usage controls: the new
   * secret would be a way around them.
   */
  private static void requireSharedUsage(BlnkPrincipal caller, ApiKey key) {
    Optional<ApiKey> callerKey = caller.key();
    if (callerKey.isPresent()
        && !callerKey.get().usage().isNone()
        && !callerKey.get().usageId().equals(key.usageId())) {
      throw usageEscalation("a key with usage controls can rotate only keys that share them");
    }
  }

  private static Refusal usageEscalation(String rule) {
    return new Refusal(
        ErrorCode.AUTH_SCOPE_ESCALATION,
        ErrorCode.AUTH_SCOPE_ESCALATION.defaultMessage() + ": rate_limits, credits: " + rule);
  }

  /**
   * Lists an owner's keys, newest first: every key, revoked and expired ones included, or with
   * {@link KeyQuery#withStatus} those with that status at the service clock's now.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param query the owner to list, required for the master key ({@code KeyQuery.owner("acme")}),
   *     a scoped caller's own by default ({@link KeyQuery#anyOwner()}); and the status to keep, if
   *     any
   * @return the owner's keys, newest first, each with its current credit balance; or refused with
   *     {@code APIKEY_OWNER_REQUIRED}, {@code AUTH_CROSS_OWNER_ACCESS} or {@code APIKEY_INVALID}
   *     (a malformed owner)
   * @throws NullPointerException if an argument is null
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<List<ApiKey>> list(BlnkPrincipal caller, KeyQuery query) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(query, "query");
    return outcome(() -> listNow(caller, query));
  }

  private List<ApiKey> listNow(BlnkPrincipal caller, KeyQuery query) {
    List<ApiKey> keys = store.listByOwner(ownerFor(caller, query.owner()));
    Optional<KeyStatus> status = query.status();
    Instant now = clock.instant();
    List<ApiKey> out = new ArrayList<>(keys.size());
    for (ApiKey k : keys) {
      if (status.isEmpty() || k.status(now) == status.get()) {
        out.add(withBalance(k));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The key with its credits' {@code remaining} read from the usage store now (the balance not
   * leased to any node).
   */
  private ApiKey withBalance(ApiKey key) {
    if (key.usage().credits().isEmpty()) {
      return key;
    }
    long remaining =
        authenticator.usage().store().remainingCredits(key.usageId(), clock.instant()).orElse(0);
    return key.toBuilder()
        .usage(key.usage().withCredits(Optional.of(key.usage().credits().get().withRemaining(remaining))))
        .build();
  }

  /**
   * One key's record, under the owner rules of {@link #list}: a scoped caller sees its own owner's
   * keys; the master key sees any (and may name the owner it must belong to).
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @return the key, with its credits' balance read from the usage store now; or refused with
   *     {@code APIKEY_NOT_FOUND} for a malformed or unknown id or another owner's key, {@code
   *     AUTH_CROSS_OWNER_ACCESS} if a scoped caller names another owner, or {@code APIKEY_INVALID}
   *     for a malformed owner
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<ApiKey> get(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    requireArguments(caller, apiKeyId, query);
    return outcome(() -> withBalance(findForCaller(caller, apiKeyId, query)));
  }

  /**
   * The calling key's own record, read from the store now; empty for the master key. Needs no
   * scope.
   *
   * @param caller the authenticated principal asking for its own record
   * @return the caller's key, or empty for the master key; or refused with {@code
   *     APIKEY_NOT_FOUND} if the key no longer exists
   * @throws NullPointerException if {@code caller} is null
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<Optional<ApiKey>> self(BlnkPrincipal caller) {
    Objects.requireNonNull(caller, "caller");
    if (caller.isMaster()) {
      return KeyOutcome.done(Optional.empty());
    }
    Optional<ApiKey> key = store.findById(caller.apiKeyId().orElseThrow());
    return key.isPresent() ? KeyOutcome.done(key) : notFound().outcome();
  }

  /**
   * Changes a key's name, expiry, scopes, meta data or allowed addresses (each present field of
   * {@code update}; the rest are kept). Before this returns, this node uses the new record; other
   * nodes learn through the store's feed, like a revocation.
   *
   * <p>Delegation: a scoped caller may update only a key whose scopes its own cover (as for
   * revoke), may set only what it could grant at creation (scopes within its own, expiry within
   * its own), and may not widen the key's scopes beyond what the key holds: that needs the master
   * key. The key must be neither revoked nor expired, and a rotated key's expiry (its grace
   * period) cannot be changed. With {@link BlnkAuth.Builder#maxKeyLifetime} the new expiry may be
   * at most that long after the key's creation. A scoped caller that has rate limits or credits
   * itself cannot change any key's {@code rate_limits} or {@code credits} ({@code
   * AUTH_SCOPE_ESCALATION}).
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @param update the fields to change; at least one must be present
   * @return the key as it now is; or refused with {@code APIKEY_NOT_FOUND}, {@code
   *     AUTH_CROSS_OWNER_ACCESS}, {@code AUTH_SCOPE_ESCALATION}, or {@code APIKEY_INVALID} naming
   *     the field (or saying that nothing was given, that the key is revoked or expired, or that it
   *     kept changing while it was being updated)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<ApiKey> update(
      BlnkPrincipal caller, String apiKeyId, KeyQuery query, KeyUpdate update) {
    requireArguments(caller, apiKeyId, query);
    Objects.requireNonNull(update, "update");
    return outcome(() -> updateNow(caller, apiKeyId, query, update));
  }

  private ApiKey updateNow(
      BlnkPrincipal caller, String apiKeyId, KeyQuery query, KeyUpdate update) {
    if (update.isEmpty()) {
      throw invalid(
          "nothing to update: give at least one of name, expires_at, scopes, meta_data,"
              + " allowed_ips, rate_limits, credits");
    }
    // Fields that do not depend on the key are checked once, before it is read.
    update.name().ifPresent(n -> requireSafe("name", n));
    Optional<String> name = update.name().isPresent() ? Optional.of(validName(update.name())) : Optional.empty();
    Optional<ScopeSet> scopes = update.scopes().map(this::validScopes);
    Optional<String> metaData = update.metaData().isPresent() ? validMetaData(update.metaData()) : Optional.empty();
    Optional<IpAllowList> allowedIps = update.allowedIps().map(KeyService::validAllowedIps);
    if (update.rateLimits().isPresent() || update.credits().isPresent()) {
      requireUnlimitedForUsage(caller);
    }
    allowedIps.ifPresent(ips -> requireWithinCallerAddresses(caller, ips));
    ApiKey key = findForCaller(caller, apiKeyId, query);
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      Instant now = now();
      requireChangeable(key, now, "updated");
      requireNoEscalation(caller, key.scopes());
      ApiKey.Builder next = key.toBuilder();
      name.ifPresent(next::name);
      if (scopes.isPresent()) {
        requireNoEscalation(caller, scopes.get());
        requireNoWidening(caller, key.scopes(), scopes.get());
        next.scopes(scopes.get());
      }
      if (update.expiresAt().isPresent()) {
        if (key.rotatedTo().isPresent()) {
          throw invalid(
              "expires_at: key "
                  + key.id()
                  + " was rotated; its expiry is the end of its grace period and cannot change");
        }
        Optional<Instant> expiresAt = validExpiry(caller, update.expiresAt(), now);
        requireWithinLifetime(expiresAt, key.createdAt());
        next.expiresAt(expiresAt);
      }
      metaData.ifPresent(m -> next.metaData(Optional.of(m)));
      allowedIps.ifPresent(next::allowedIps);
      UsagePolicy usage = key.usage();
      if (update.rateLimits().isPresent()) {
        usage = usage.withRateLimits(update.rateLimits().get());
      }
      if (update.credits().isPresent()) {
        usage = usage.withCredits(update.credits().get());
      }
      next.usage(usage);
      ApiKey replacement = next.build();
      UpdateResult result = store.update(key, replacement, now);
      if (result instanceof UpdateResult.Updated updated) {
        if (update.credits().isPresent()) {
          // The new balance replaces the old one (a new period: leases of the old are void).
          UsageGate gate = authenticator.usage();
          if (update.credits().get().isPresent()) {
            gate.store().defineCredits(key.usageId(), update.credits().get().get(), now);
          } else {
            gate.store().removeCredits(key.usageId());
          }
          gate.creditsChanged(key.usageId());
        }
        authenticator.keyChanged(key.id());
        events.keyEvent(
            AuthEvent.Type.KEY_UPDATED, caller, key.id(), key.ownerId(), "fields=" + fields(update));
        return withBalance(updated.key());
      }
      key = afterRefusal(result, key, now, "updated");
    }
    throw conflict(key);
  }

  /**
   * Disables a key: refused with {@code AUTH_DISABLED_API_KEY} until enabled again. Idempotent
   * (the first disable time is kept). Before this returns, this node refuses the key; other nodes
   * learn through the store's feed, like a revocation. Delegation as for revoke.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @return the key as it now is; or refused with {@code APIKEY_NOT_FOUND}, {@code
   *     AUTH_CROSS_OWNER_ACCESS}, {@code AUTH_SCOPE_ESCALATION}, or {@code APIKEY_INVALID} for a
   *     revoked or expired key (or one that kept changing while it was being disabled)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<ApiKey> disable(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    requireArguments(caller, apiKeyId, query);
    return outcome(() -> setDisabled(caller, apiKeyId, query, true));
  }

  /**
   * Enables a disabled key again. Idempotent. Before this returns, this node accepts the key again;
   * other nodes learn through the store's feed. Delegation as for revoke.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @return the key as it now is; or refused as {@link #disable}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<ApiKey> enable(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    requireArguments(caller, apiKeyId, query);
    return outcome(() -> setDisabled(caller, apiKeyId, query, false));
  }

  private ApiKey setDisabled(
      BlnkPrincipal caller, String apiKeyId, KeyQuery query, boolean disable) {
    String verb = disable ? "disabled" : "enabled";
    ApiKey key = findForCaller(caller, apiKeyId, query);
    requireNoEscalation(caller, key.scopes());
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      Instant now = now();
      requireChangeable(key, now, verb);
      if (key.disabled() == disable) {
        return key; // already so: nothing changes, nothing is announced
      }
      ApiKey replacement =
          key.toBuilder().disabledAt(disable ? Optional.of(now) : Optional.empty()).build();
      UpdateResult result = store.update(key, replacement, now);
      if (result instanceof UpdateResult.Updated updated) {
        authenticator.keyChanged(key.id());
        events.keyEvent(
            disable ? AuthEvent.Type.KEY_DISABLED : AuthEvent.Type.KEY_ENABLED,
            caller,
            key.id(),
            key.ownerId(),
            "");
        return updated.key();
      }
      key = afterRefusal(result, key, now, verb);
    }
    throw conflict(key);
  }

  /** What to do after the store refused an update: read the key again, or report why not. */
  private ApiKey afterRefusal(UpdateResult result, ApiKey key, Instant now, String verb) {
    if (result instanceof UpdateResult.NotFound) {
      throw notFound();
    }
    if (result instanceof UpdateResult.NotActive notActive) {
      authenticator.keyChanged(key.id());
      requireChangeable(notActive.key(), now, verb);
      throw invalid("api_key_id: " + key.id() + " is revoked or expired and cannot be " + verb);
    }
    // Changed since it was read: check every rule again against the current row.
    return ((UpdateResult.Conflict) result).current();
  }

  private static void requireChangeable(ApiKey key, Instant now, String verb) {
    if (!key.validAt(now)) {
      throw invalid("api_key_id: " + key.id() + " is revoked or expired and cannot be " + verb);
    }
  }

  private static Refusal conflict(ApiKey key) {
    return invalid(
        "api_key_id: " + key.id() + " kept changing while it was being updated; try again");
  }

  private static String fields(KeyUpdate u) {
    List<String> names = new ArrayList<>();
    u.name().ifPresent(x -> names.add("name"));
    u.expiresAt().ifPresent(x -> names.add("expires_at"));
    u.scopes().ifPresent(x -> names.add("scopes"));
    u.metaData().ifPresent(x -> names.add("meta_data"));
    u.allowedIps().ifPresent(x -> names.add("allowed_ips"));
    u.rateLimits().ifPresent(x -> names.add("rate_limits"));
    u.credits().ifPresent(x -> names.add("credits"));
    return String.join(",", names);
  }

  /**
   * Revokes a key and, with {@code cascade}, every key created from it or rotated from it,
   * transitively, in one store transaction; each revoked key is refused by this node before this
   * returns and by other nodes through the store's feed. A scoped caller must cover the scopes of
   * every key of the tree. Without {@code cascade}, as {@link #revoke(BlnkPrincipal, String,
   * KeyQuery)}.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @param cascade whether to revoke the keys created or rotated from this one too, transitively
   * @return the root key as it now is; or refused as {@link #revoke(BlnkPrincipal, String,
   *     KeyQuery)}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<ApiKey> revoke(
      BlnkPrincipal caller, String apiKeyId, KeyQuery query, boolean cascade) {
    requireArguments(caller, apiKeyId, query);
    return outcome(
        () -> cascade ? revokeTree(caller, apiKeyId, query) : revokeOne(caller, apiKeyId, query));
  }

  private ApiKey revokeTree(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    ApiKey root = findForCaller(caller, apiKeyId, query);
    if (!caller.isMaster()) {
      for (ApiKey k : treeOf(root)) {
        requireNoEscalation(caller, k.scopes());
      }
    }
    CascadeResult result = store.revokeCascade(root.id(), now());
    if (!(result instanceof CascadeResult.Revoked revoked)) {
      throw notFound();
    }
    for (ApiKey k : revoked.revoked()) {
      authenticator.keyChanged(k.id());
    }
    for (ApiKey k : revoked.revoked()) {
      events.keyEvent(
          AuthEvent.Type.KEY_REVOKED,
          caller,
          k.id(),
          k.ownerId(),
          k.id().equals(root.id()) ? "" : "cascade=" + root.id());
    }
    return revoked.root();
  }

  /** The root and its descendants as the owner's listing shows them now (for the caller's check). */
  private List<ApiKey> treeOf(ApiKey root) {
    List<ApiKey> all = store.listByOwner(root.ownerId());
    List<ApiKey> tree = new ArrayList<>(List.of(root));
    java.util.Set<ApiKeyId> inTree = new java.util.HashSet<>(List.of(root.id()));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ApiKey k : all) {
        boolean child =
            k.createdBy().filter(inTree::contains).isPresent()
                || k.rotatedFrom().filter(inTree::contains).isPresent();
        if (child && inTree.add(k.id())) {
          tree.add(k);
          grew = true;
        }
      }
    }
    return tree;
  }

  /**
   * Acts on a key reported leaked (e.g. by GitHub's secret scanning): finds it by the digest of
   * the reported token without running the hash (a key stored before digests existed, and not
   * verified since, is found by its lookup id and one hash verification), then revokes or
   * disables it as {@code action} says, announces it like any revocation or disable, and emits
   * {@link AuthEvent.Type#KEY_LEAKED}. The token is never logged or put in an event.
   *
   * @param token the reported token as found, e.g. {@code blnk_…}
   * @param action what to do with the key
   * @param source who reported it, for the event, e.g. {@code github}
   * @return what was found and done; {@code found()} is false for a token that is not a key here
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public LeakReport reportLeaked(String token, LeakAction action, String source) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(source, "source");
    if (!format.isWellFormed(token)) {
      return new LeakReport(Optional.empty(), false);
    }
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    String digest = KeyDigest.of(bytes).hex();
    Optional<StoredKey> found = store.findByDigest(digest);
    if (found.isEmpty()) {
      Optional<StoredKey> byLookup = store.findByLookupId(format.lookupId(token));
      if (byLookup.isPresent()
          && byLookup.get().keyDigest().isEmpty()
          && hasher.verify(byLookup.get().keyHash(), bytes)) {
        found = byLookup;
        store.recordDigest(byLookup.get().key().id(), digest);
      }
    }
    if (found.isEmpty()) {
      return new LeakReport(Optional.empty(), false);
    }
    ApiKey key = found.get().key();
    String by =
        "leak-report:"
            + (source.isEmpty() || source.length() > 64 || TextRules.unsafeCharacter(source).isPresent()
                ? "unnamed"
                : source);
    boolean acted = false;
    ApiKey current = key;
    if (action == LeakAction.REVOKE) {
      RevokeResult result = store.revoke(key.id(), now());
      acted = result instanceof RevokeResult.Revoked;
      current = result.key().orElse(key);
    } else {
      for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS && !acted; attempt++) {
        Instant at = now();
        if (!current.validAt(at) || current.disabled()) {
          break; // revoked, expired or disabled already: nothing to do
        }
        UpdateResult result =
            store.update(current, current.toBuilder().disabledAt(Optional.of(at)).build(), at);
        if (result instanceof UpdateResult.Updated updated) {
          acted = true;
          current = updated.key();
        } else if (result instanceof UpdateResult.Conflict conflict) {
          current = conflict.current();
        } else {
          break;
        }
      }
    }
    authenticator.keyChanged(key.id());
    if (acted) { // a replayed report, or a key already revoked or disabled, emits nothing
      events.keyEvent(
          AuthEvent.Type.KEY_LEAKED,
          by,
          key.id(),
          key.ownerId(),
          "action=" + action.name().toLowerCase(java.util.Locale.ROOT));
      events.keyEvent(
          action == LeakAction.REVOKE ? AuthEvent.Type.KEY_REVOKED : AuthEvent.Type.KEY_DISABLED,
          by,
          key.id(),
          key.ownerId(),
          "");
    }
    return new LeakReport(Optional.of(current), acted);
  }

  /**
   * Revokes a key. Idempotent: the first revocation time is kept. Before this returns, this node
   * refuses the key; other nodes learn through the store's revocation feed.
   *
   * <p>Delegation is symmetric: a scoped caller may revoke only a key whose scopes its own cover,
   * the same rule as for create and rotate, so a weaker key cannot take a stronger one out of
   * service.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @return the revoked key; or refused with {@code APIKEY_NOT_FOUND} for a malformed or unknown
   *     id or another owner's key, {@code AUTH_CROSS_OWNER_ACCESS} if a scoped caller names another
   *     owner, {@code AUTH_SCOPE_ESCALATION} if the key holds a scope the caller's scopes do not
   *     cover, or {@code APIKEY_INVALID} for a malformed owner
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<ApiKey> revoke(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    requireArguments(caller, apiKeyId, query);
    return outcome(() -> revokeOne(caller, apiKeyId, query));
  }

  private ApiKey revokeOne(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    ApiKey key = findForCaller(caller, apiKeyId, query);
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
   * Rotates a key with the default grace period ({@link BlnkAuth.Builder#rotationGrace}): a new
   * key with the same name, owner, scopes and expiry, while the old key keeps working for the grace
   * period and then expires.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @return the new key, with its plaintext; or refused as {@link #rotate(BlnkPrincipal, String,
   *     KeyQuery, Duration)}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<CreatedKey> rotate(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    requireArguments(caller, apiKeyId, query);
    return outcome(() -> rotateNow(caller, apiKeyId, query, defaultGrace));
  }

  /**
   * Rotates a key: a new key with the same name, owner, scopes and expiry, while the old key keeps
   * working for a grace period and then expires. The new key shares the old one's credits and
   * buckets. A scoped caller that has rate limits or credits may rotate only keys that share its
   * own (itself and the keys it created): a new secret of any other key would be a way around
   * them ({@code AUTH_SCOPE_ESCALATION}).
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param apiKeyId the key's public id, as given (checked here)
   * @param query the owner the key must belong to, if any ({@link KeyQuery#anyOwner()} for none); a
   *     scoped caller may name only its own
   * @param grace how long the old key keeps working, from {@code PT0S} to the maximum set with
   *     {@link BlnkAuth.Builder#rotationGrace}
   * @return the new key, with its plaintext; or refused with {@code APIKEY_NOT_FOUND}, {@code
   *     AUTH_CROSS_OWNER_ACCESS}, {@code AUTH_SCOPE_ESCALATION}, {@code APIKEY_LIMIT_EXCEEDED},
   *     {@code GEN_RATE_LIMITED} (too many keys are being hashed at once), or {@code
   *     APIKEY_INVALID} for a revoked, expired or disabled key (checked again by the store under
   *     its lock), a grace outside {@code [0, max]} or a malformed owner
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<CreatedKey> rotate(
      BlnkPrincipal caller, String apiKeyId, KeyQuery query, Duration grace) {
    requireArguments(caller, apiKeyId, query);
    Objects.requireNonNull(grace, "grace");
    return outcome(() -> rotateNow(caller, apiKeyId, query, grace));
  }

  private CreatedKey rotateNow(
      BlnkPrincipal caller, String apiKeyId, KeyQuery query, Duration g) {
    ApiKey old = findForCaller(caller, apiKeyId, query);
    Instant now = now();
    if (!old.validAt(now)) {
      throw invalid("api_key_id: " + old.id() + " is revoked or expired and cannot be rotated");
    }
    if (old.disabled()) {
      throw invalid("api_key_id: " + old.id() + " is disabled; enable it before rotating it");
    }
    if (g.isNegative() || g.compareTo(maxGrace) > 0) {
      throw invalid("grace_period: " + g + " must be between PT0S and " + maxGrace);
    }
    requireNoEscalation(caller, old.scopes());
    if (!caller.isMaster()) {
      requireWithinCaller(caller, old.expiresAt());
      requireSharedUsage(caller, old);
      requireWithinCallerAddresses(caller, old.allowedIps());
    }
    Instant notAfter = now.plus(g);
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      Fresh fresh =
          fresh(
              caller,
              old.name(),
              old.ownerId(),
              old.scopes(),
              old.expiresAt(),
              now,
              b ->
                  b.metaData(old.metaData())
                      .allowedIps(old.allowedIps())
                      .rotatedFrom(Optional.of(old.id()))
                      // shares the predecessor's balance and buckets: see ApiKey#usageId
                      .usage(old.usage().sharedWith(new ApiKeyId(old.usageId()))));
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
      return new CreatedKey(withBalance(fresh.stored.key()), fresh.plaintext);
    }
    throw new IllegalStateException("could not generate a unique key");
  }

  private CreatedKey insertNew(
      BlnkPrincipal caller,
      String name,
      OwnerId owner,
      ScopeSet scopes,
      Optional<Instant> expiresAt,
      Instant now,
      UnaryOperator<ApiKey.Builder> extra,
      Function<ApiKey, Runnable> prepare) {
    for (int attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      Fresh fresh = fresh(caller, name, owner, scopes, expiresAt, now, extra);
      Runnable undo = prepare.apply(fresh.stored.key()); // a failure here stored nothing
      InsertResult result;
      try {
        result = store.insert(fresh.stored, maxActiveKeysPerOwner, now);
      } catch (RuntimeException e) {
        undoQuietly(undo, e);
        throw e;
      }
      if (!(result instanceof InsertResult.Inserted)) {
        undoQuietly(undo, null);
      }
      if (result instanceof InsertResult.LimitReached limit) {
        throw limitExceeded(limit.limit());
      }
      if (result instanceof InsertResult.CreatorRevoked creator) {
        // The calling key was revoked (a cascade, perhaps on another node) since it authenticated.
        authenticator.keyChanged(creator.creator());
        throw new Refusal(
            ErrorCode.AUTH_EXPIRED_API_KEY, ErrorCode.AUTH_EXPIRED_API_KEY.defaultMessage());
      }
      if (result instanceof InsertResult.Inserted) {
        authenticator.created(fresh.stored.lookupId());
        events.keyEvent(AuthEvent.Type.KEY_CREATED, caller, fresh.stored.key().id(), owner, "");
        return new CreatedKey(fresh.stored.key(), fresh.plaintext);
      }
    }
    throw new IllegalStateException("could not generate a unique key");
  }

  /**
   * Runs {@code undo}; a failure is added to {@code cause} if there is one, else dropped: what it
   * leaves behind belongs to no stored key.
   */
  private static void undoQuietly(Runnable undo, RuntimeException cause) {
    try {
      undo.run();
    } catch (RuntimeException e) {
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }

  private record Fresh(StoredKey stored, PlaintextKey plaintext) {}

  private Fresh fresh(
      BlnkPrincipal caller,
      String name,
      OwnerId owner,
      ScopeSet scopes,
      Optional<Instant> expiresAt,
      Instant now,
      UnaryOperator<ApiKey.Builder> extra) {
    PlaintextKey plaintext = format.generate(random);
    byte[] bytes = plaintext.reveal().getBytes(StandardCharsets.UTF_8);
    String hash = valueOf(authenticator.limiter().hash(bytes));
    String digest = KeyDigest.of(bytes).hex();
    ApiKey base =
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
    ApiKey key = extra.apply(base.toBuilder()).build();
    return new Fresh(
        new StoredKey(key, plaintext.lookupId(), hash, Optional.of(digest)), plaintext);
  }

  /**
   * Checks the arguments of a call about one key: programming errors are exceptions, not refusals.
   */
  private static void requireArguments(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(apiKeyId, "apiKeyId");
    requireNoStatus(query);
  }

  private static void requireNoStatus(KeyQuery query) {
    Objects.requireNonNull(query, "query");
    if (query.status().isPresent()) {
      throw new IllegalArgumentException(
          "query: only a listing takes a status, got " + query);
    }
  }

  private ApiKey findForCaller(BlnkPrincipal caller, String apiKeyId, KeyQuery query) {
    Optional<String> owner = query.owner();
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

  /**
   * The rate limit on all of an owner's keys together: the owner's own, else the host's default
   * ({@code UsageSettings.ownerLimit}), else none. Owner rules as for {@link #list}.
   *
   * @param caller the authenticated principal making the call: the master key, or a scoped key
   *     acting under the delegation rules
   * @param query the owner; required for the master key, a scoped caller's own by default
   * @return the limit that applies, or empty when neither the owner nor the host sets one; or
   *     refused with {@code APIKEY_OWNER_REQUIRED}, {@code AUTH_CROSS_OWNER_ACCESS} or {@code
   *     APIKEY_INVALID} (a malformed owner)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<Optional<RateLimit>> ownerLimit(BlnkPrincipal caller, KeyQuery query) {
    Objects.requireNonNull(caller, "caller");
    requireNoStatus(query);
    return outcome(() -> ownerLimitNow(ownerFor(caller, query.owner())));
  }

  private Optional<RateLimit> ownerLimitNow(OwnerId owner) {
    UsageGate gate = authenticator.usage();
    return gate.store().ownerLimit(owner).or(() -> gate.settings().ownerLimit());
  }

  /**
   * Sets the rate limit on all of an owner's keys together. Master key only: a tenant must not lift
   * its own limit. This node applies it at once; other nodes when they next read a key's record
   * (within the record cache's TTL).
   *
   * @param caller the authenticated principal making the call; must be the master key
   * @param query the owner whose limit to set; required
   * @param limit the new limit
   * @return the limit that now applies; or refused with {@code AUTH_MASTER_KEY_REQUIRED} for a
   *     scoped caller, {@code APIKEY_OWNER_REQUIRED} or {@code APIKEY_INVALID} (a malformed owner)
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<Optional<RateLimit>> setOwnerLimit(
      BlnkPrincipal caller, KeyQuery query, RateLimit limit) {
    Objects.requireNonNull(limit, "limit");
    return changeOwnerLimit(caller, query, Optional.of(limit));
  }

  /**
   * Clears an owner's own rate limit on all its keys together, back to the host's default ({@code
   * UsageSettings.ownerLimit}). Master key only. Applied as {@link #setOwnerLimit}.
   *
   * @param caller the authenticated principal making the call; must be the master key
   * @param query the owner whose limit to clear; required
   * @return the limit that now applies (the host's default, or empty for none); or refused as
   *     {@link #setOwnerLimit}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code query} holds a status: only listings take one
   * @throws io.blnk.auth.store.StoreUnavailableException if the store failed
   */
  public KeyOutcome<Optional<RateLimit>> clearOwnerLimit(BlnkPrincipal caller, KeyQuery query) {
    return changeOwnerLimit(caller, query, Optional.empty());
  }

  private KeyOutcome<Optional<RateLimit>> changeOwnerLimit(
      BlnkPrincipal caller, KeyQuery query, Optional<RateLimit> limit) {
    Objects.requireNonNull(caller, "caller");
    requireNoStatus(query);
    return outcome(
        () -> {
          if (!caller.isMaster()) {
            throw new Refusal(
                ErrorCode.AUTH_MASTER_KEY_REQUIRED,
                "Only the master key may set an owner's rate limit");
          }
          OwnerId owner = ownerFor(caller, query.owner());
          UsageGate gate = authenticator.usage();
          gate.store().setOwnerLimit(owner, limit);
          gate.ownerLimitChanged(owner);
          authenticator.changesMayHaveBeenMissed(); // re-read records: handles pick it up now
          return ownerLimitNow(owner);
        });
  }

  /** The owner a caller acts for, given what it asked. */
  private OwnerId ownerFor(BlnkPrincipal caller, Optional<String> asked) {
    if (caller.isMaster()) {
      if (!present(asked)) {
        throw new Refusal(
            ErrorCode.APIKEY_OWNER_REQUIRED, ErrorCode.APIKEY_OWNER_REQUIRED.defaultMessage());
      }
      return validOwner(asked.get());
    }
    OwnerId own = caller.ownerId().orElseThrow();
    if (present(asked) && !asked.get().equals(own.value())) {
      throw new Refusal(
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

  private void requireWithinLifetime(Optional<Instant> expiresAt, Instant createdAt) {
    if (maxKeyLifetime == null) {
      return;
    }
    Instant limit = createdAt.plus(maxKeyLifetime);
    if (expiresAt.isEmpty() || expiresAt.get().isAfter(limit)) {
      throw invalid(
          "expires_at "
              + quote(expiresAt.map(Instant::toString).orElse("never"))
              + ": keys may live at most "
              + maxKeyLifetime
              + " from creation (maxKeyLifetime), so no later than "
              + limit);
    }
  }

  private static Optional<String> validMetaData(Optional<String> metaData) {
    if (metaData.isEmpty()) {
      return metaData;
    }
    try {
      return Optional.of(ApiKey.requireValidMetaData(metaData.get()));
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static IpAllowList validAllowedIps(List<String> ranges) {
    try {
      return IpAllowList.parse(ranges);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw invalid(m.startsWith("allowed_ips") ? m : "allowed_ips: " + m);
    }
  }

  /** A scoped caller may narrow a key's scopes, never widen them: that needs the master key. */
  private static void requireNoWidening(BlnkPrincipal caller, ScopeSet held, ScopeSet requested) {
    if (caller.isMaster()) {
      return;
    }
    Optional<Scope> beyond = held.firstUncovered(requested);
    if (beyond.isPresent()) {
      throw new Refusal(
          ErrorCode.AUTH_SCOPE_ESCALATION,
          "Widening a key's scopes needs the master key: the key does not hold " + beyond.get());
    }
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
    return valueOf(Timestamps.parse("expires_at", text));
  }

  private static void requireNoEscalation(BlnkPrincipal caller, ScopeSet requested) {
    if (caller.isMaster()) {
      return;
    }
    Optional<Scope> beyond = caller.scopes().firstUncovered(requested);
    if (beyond.isPresent()) {
      throw new Refusal(
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

  private static Refusal invalid(String message) {
    return new Refusal(ErrorCode.APIKEY_INVALID, message);
  }

  private static Refusal limitExceeded(int limit) {
    return new Refusal(
        ErrorCode.APIKEY_LIMIT_EXCEEDED,
        "Owner has reached the limit of "
            + limit
            + " active API keys: revoke keys it no longer uses before creating more");
  }

  private static Refusal notFound() {
    return new Refusal(
        ErrorCode.APIKEY_NOT_FOUND, ErrorCode.APIKEY_NOT_FOUND.defaultMessage());
  }

  /**
   * Runs a call, turning a refusal found on the way into its outcome. Only {@link Refusal} is
   * caught: a store failure or a programming error goes on as the exception it is.
   */
  private static <T> KeyOutcome<T> outcome(Supplier<T> call) {
    try {
      return KeyOutcome.done(call.get());
    } catch (Refusal r) {
      return r.outcome();
    }
  }

  /** The value of a done outcome; a refusal unwinds to the public method's {@link #outcome}. */
  private static <T> T valueOf(KeyOutcome<T> outcome) {
    if (outcome instanceof KeyOutcome.Refused<T> refused) {
      throw new Refusal(refused);
    }
    return ((KeyOutcome.Done<T>) outcome).value();
  }

  /**
   * A refusal found deep inside a call (a validation helper, a retry loop), unwinding to the public
   * method that returns it as {@link KeyOutcome.Refused}. Private, caught in {@link #outcome} only,
   * and without a stack trace: it is the service's way of returning early, never seen by a caller.
   */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient KeyOutcome.Refused<?> refused;

    Refusal(KeyOutcome.Refused<?> refused) {
      super(refused.message(), null, false, false);
      this.refused = refused;
    }

    Refusal(ErrorCode code, String message) {
      this(new KeyOutcome.Refused<>(code, message));
    }

    <T> KeyOutcome<T> outcome() {
      return refused.retype();
    }
  }
}
