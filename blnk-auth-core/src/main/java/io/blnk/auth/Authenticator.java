package io.blnk.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.BlnkCoreKeyFormat;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 3 to 9 of a request's decision. Thread-safe; the cached path takes no lock and parses
 * nothing.
 *
 * <p>Revocation. Every change to a key (from this node's key service or the store's feed) bumps
 * {@link #generation} and records the new value for that key in {@link #changed}. A cached entry
 * remembers the generation seen <em>before</em> its row was read; an entry older than its key's
 * last change is stale and is reloaded. So once a revoke has returned, no request can be granted
 * from a row read before it, whatever loads were in flight.
 */
final class Authenticator implements KeyChangeListener {

  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private static final AuthResult.Denied MISSING = AuthResult.Denied.of(ErrorCode.AUTH_MISSING_API_KEY);
  private static final AuthResult.Denied INVALID = AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY);
  private static final AuthResult.Denied EXPIRED = AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY);
  private static final AuthResult.Denied UNAVAILABLE =
      AuthResult.Denied.of(ErrorCode.AUTH_STORE_UNAVAILABLE);
  private static final AuthResult.Denied RATE_LIMITED = AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED);
  private static final AuthResult.Denied UNKNOWN_RESOURCE =
      AuthResult.Denied.of(ErrorCode.AUTH_UNKNOWN_RESOURCE);
  private static final AuthResult.Denied MASTER_REQUIRED =
      AuthResult.Denied.of(ErrorCode.AUTH_MASTER_KEY_REQUIRED);
  private static final AuthResult.Granted MASTER = new AuthResult.Granted(BlnkPrincipal.master());

  private final KeyStore store;
  private final KeyHasher hasher;
  private final KeyFormat format;
  /** Also accept Blnk Core's 44-character keys (imported rows; opt-in). */
  private final boolean acceptBlnkCoreKeys;
  private final ResourceRegistry registry;
  private final InstantSource clock;
  private final List<char[]> masterKeys;
  private final EventSink events;
  private final LastUsedRecorder lastUsed;
  private final Executor background;

  /** Futures give single flight without holding a lock while a hash runs. */
  private final AsyncCache<KeyDigest, VerifiedKey> verified;
  private final Cache<String, Boolean> unknownLookupIds;
  private final Cache<String, AtomicInteger> failures;
  private final Cache<ApiKeyId, Long> changed;
  private final AtomicLong generation = new AtomicLong();
  private final int maxFailures;
  private final Semaphore hashPermits;
  private final long hashWaitMillis;
  /** "Insufficient permissions for r:a", one per resource and action, built once. */
  private final AuthResult.Denied[][] insufficient;

  Authenticator(BlnkAuth.Builder b, EventSink events, LastUsedRecorder lastUsed, Executor background) {
    this.store = b.store;
    this.hasher = b.hasher;
    this.format = b.format;
    this.acceptBlnkCoreKeys = b.acceptBlnkCoreKeys;
    this.registry = b.registry;
    this.clock = b.clock;
    this.masterKeys = b.masterKeyChars();
    this.events = events;
    this.lastUsed = lastUsed;
    this.background = background;
    Ticker ticker = b.ticker();
    this.verified =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(b.cacheTtl)
            .maximumSize(b.cacheMaximumSize)
            .executor(Runnable::run)
            .buildAsync();
    this.unknownLookupIds =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(b.negativeCacheTtl)
            .maximumSize(b.cacheMaximumSize)
            .build();
    this.failures =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(b.failureWindow)
            .maximumSize(b.cacheMaximumSize)
            .build();
    // A change must outlive every entry that could have been read before it.
    this.changed =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(b.cacheTtl.plus(Duration.ofMinutes(5)))
            .build();
    this.maxFailures = b.maxFailures;
    this.hashPermits = new Semaphore(b.maxConcurrentVerifications, true);
    this.hashWaitMillis = b.verificationWait.toMillis();
    this.insufficient = new AuthResult.Denied[registry.size()][Action.values().length];
    for (Resource r : registry.resources()) {
      for (Action a : Action.values()) {
        insufficient[r.index()][a.ordinal()] =
            new AuthResult.Denied(
                ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS,
                ErrorCode.insufficientPermissions(r.name(), a.token()));
      }
    }
  }

  /** Steps 3 to 7: who presents this key? */
  AuthResult authenticate(String presented, String remote) {
    if (presented == null || presented.isEmpty()) {
      return fail(MISSING, "", remote);
    }
    if (isMasterKey(presented)) {
      events.emit(AuthEvent.Type.AUTH_SUCCEEDED, Optional.empty(), Optional.empty(), null, "master", remote, "");
      return MASTER;
    }
    if (!format.isWellFormed(presented)
        && !(acceptBlnkCoreKeys && BlnkCoreKeyFormat.isWellFormed(presented))) {
      return fail(INVALID, "", remote);
    }
    // Only now: a malformed key costs no byte array.
    byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
    KeyDigest digest = KeyDigest.of(bytes);
    CompletableFuture<VerifiedKey> cached = verified.getIfPresent(digest);
    VerifiedKey key = cached != null && isDoneNormally(cached) ? cached.join() : null;
    if (key == null || isStale(key)) {
      try {
        // A stale entry proves this very secret was verified: its reload is not throttled.
        key = load(presented, bytes, digest, key != null);
      } catch (StoreUnavailableException e) {
        LOG.warn("key store unavailable during {}: {}", e.operation(), e.getMessage());
        return fail(UNAVAILABLE, failureHint(presented), remote);
      } catch (VerificationsBusy e) {
        return fail(RATE_LIMITED, failureHint(presented), remote);
      }
      if (key == null) {
        return fail(INVALID, failureHint(presented), remote);
      }
    }
    long now = clock.millis();
    if (key.revoked || key.principal().expiredAt(now, clock)) {
      return fail(EXPIRED, key.keyPrefix, remote);
    }
    if (key.claimUse(now, lastUsed.intervalMillis())) {
      lastUsed.record(key.id, now);
    }
    if (events.wants(AuthEvent.Type.AUTH_SUCCEEDED)) {
      BlnkPrincipal p = key.principal();
      events.emit(AuthEvent.Type.AUTH_SUCCEEDED, p.apiKeyId(), p.ownerId(), null, key.keyPrefix, remote, "");
    }
    return key.granted;
  }

  /** Steps 8 and 9: may this principal do this? */
  AuthResult authorize(BlnkPrincipal principal, Optional<Resource> resource, String method, String remote) {
    if (principal.isMaster()) {
      return MASTER;
    }
    AuthResult.Denied denied;
    if (resource.isEmpty()) {
      denied = UNKNOWN_RESOURCE;
    } else {
      Resource r = resource.get();
      Optional<Action> action = Action.forHttpMethod(method);
      if (r.masterOnly()) {
        denied = MASTER_REQUIRED;
      } else if (action.isEmpty()) {
        denied =
            new AuthResult.Denied(
                ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS,
                ErrorCode.insufficientPermissions(r.name(), method.toLowerCase(Locale.ROOT)));
      } else if (principal.allows(r, action.get())) {
        return null;
      } else {
        denied = insufficient(r, action.get());
      }
    }
    if (events.wants(AuthEvent.Type.PERMISSION_DENIED)) {
      events.emit(
          AuthEvent.Type.PERMISSION_DENIED,
          principal.apiKeyId(),
          principal.ownerId(),
          denied.code(),
          "",
          remote,
          denied.message());
    }
    return denied;
  }

  private AuthResult.Denied insufficient(Resource r, Action a) {
    return r.index() < insufficient.length && insufficient[r.index()][a.ordinal()] != null
        ? insufficient[r.index()][a.ordinal()]
        : new AuthResult.Denied(
            ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS,
            ErrorCode.insufficientPermissions(r.name(), a.token()));
  }

  /** Constant time in the presented length; reveals neither the master keys nor their lengths. */
  private boolean isMasterKey(String presented) {
    boolean match = false;
    for (char[] master : masterKeys) {
      match |= constantTimeEquals(presented, master);
    }
    return match;
  }

  /**
   * {@link java.security.MessageDigest#isEqual} on chars, without encoding the presented key: the
   * loop runs over {@code presented} only and does the same work at every position, whatever the
   * secret's length or content.
   */
  static boolean constantTimeEquals(String presented, char[] secret) {
    int n = presented.length();
    int m = secret.length;
    if (m == 0) {
      return n == 0;
    }
    int diff = n ^ m;
    for (int i = 0; i < n; i++) {
      int j = ((i - m) >>> 31) * i; // i while i < m, else 0
      diff |= presented.charAt(i) ^ secret[j];
    }
    return diff == 0;
  }

  private boolean isStale(VerifiedKey key) {
    if (generation.get() == key.readGeneration) {
      return false;
    }
    Long changedAt = changed.getIfPresent(key.id);
    return changedAt != null && changedAt > key.readGeneration;
  }

  /** The slow path: one store read and one hash per key, however many requests arrive at once. */
  private VerifiedKey load(String presented, byte[] bytes, KeyDigest digest, boolean verifiedBefore) {
    String lookupId = lookupIdOf(presented);
    if (unknownLookupIds.getIfPresent(lookupId) != null) {
      return null;
    }
    AtomicInteger failed = failures.getIfPresent(lookupId);
    if (!verifiedBefore && failed != null && failed.get() >= maxFailures) {
      throw VerificationsBusy.INSTANCE;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
      CompletableFuture<VerifiedKey> mine = new CompletableFuture<>();
      CompletableFuture<VerifiedKey> prior = verified.asMap().putIfAbsent(digest, mine);
      if (prior == null) {
        try {
          mine.complete(verify(lookupId, bytes));
        } catch (RuntimeException e) {
          // Caffeine drops a failed future from the cache; wrapped as a cancellation, it also
          // skips logging a stack trace for every request of an outage or a flood.
          mine.completeExceptionally(new LoadFailed(e));
        }
      }
      CompletableFuture<VerifiedKey> result = prior == null ? mine : prior;
      VerifiedKey key;
      try {
        key = result.join();
      } catch (LoadFailed e) {
        throw e.failure;
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      if (key == null || !isStale(key)) {
        return key;
      }
      // Read before a change to this key landed: drop it and read again.
      verified.asMap().remove(digest, result);
    }
    throw new StoreUnavailableException("findByLookupId", "key changed during every read", null);
  }

  /** {@link KeyFormat#lookupId} without checking the form again: {@code key} was checked. */
  private String lookupIdOf(String wellFormedKey) {
    if (wellFormedKey.length() == BlnkCoreKeyFormat.LENGTH) {
      return wellFormedKey.substring(0, BlnkCoreKeyFormat.LOOKUP_ID_LENGTH);
    }
    int bodyStart = format.prefix().length() + 1;
    return wellFormedKey.substring(bodyStart, bodyStart + KeyFormat.LOOKUP_ID_LENGTH);
  }

  /** The display prefix for a failure event, or nothing when no listener wants one. */
  private String failureHint(String wellFormedKey) {
    if (!events.wants(AuthEvent.Type.AUTH_FAILED)) {
      return "";
    }
    if (wellFormedKey.length() == BlnkCoreKeyFormat.LENGTH) {
      return wellFormedKey.substring(0, BlnkCoreKeyFormat.DISPLAY_LENGTH);
    }
    return wellFormedKey.substring(0, format.prefix().length() + 1 + KeyFormat.DISPLAY_LENGTH);
  }

  private static boolean isDoneNormally(CompletableFuture<?> f) {
    return f.isDone() && !f.isCompletedExceptionally();
  }

  private VerifiedKey verify(String lookupId, byte[] bytes) {
    long readGeneration = generation.get();
    Optional<StoredKey> found = store.findByLookupId(lookupId);
    if (found.isEmpty()) {
      unknownLookupIds.put(lookupId, Boolean.TRUE);
      return null;
    }
    StoredKey stored = found.get();
    boolean ok;
    try {
      if (!hashPermits.tryAcquire(hashWaitMillis, TimeUnit.MILLISECONDS)) {
        throw VerificationsBusy.INSTANCE;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw VerificationsBusy.INSTANCE;
    }
    try {
      ok = hasher.verify(stored.keyHash(), bytes);
    } finally {
      hashPermits.release();
    }
    if (!ok) {
      failures.get(lookupId, k -> new AtomicInteger()).incrementAndGet();
      return null;
    }
    if (hasher.needsRehash(stored.keyHash())) {
      byte[] copy = bytes.clone();
      try {
        background.execute(() -> rehash(stored, copy));
      } catch (RejectedExecutionException closed) {
        // Shutting down: the upgrade waits for the next successful verification.
        java.util.Arrays.fill(copy, (byte) 0);
      }
    }
    ApiKey k = stored.key();
    BlnkPrincipal principal =
        BlnkPrincipal.scoped(k.id(), k.ownerId(), k.scopes().compile(registry), k.expiresAt());
    return new VerifiedKey(k.id(), k.keyPrefix(), k.revoked(), readGeneration, principal);
  }

  private void rehash(StoredKey stored, byte[] key) {
    try {
      if (store.replaceHash(stored.key().id(), stored.keyHash(), hasher.hash(key))) {
        LOG.info("upgraded the hash of {} to {}", stored.key().id(), hasher);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not upgrade the hash of {}: {}", stored.key().id(), e.toString());
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
  }

  private AuthResult.Denied fail(AuthResult.Denied denied, String keyHint, String remote) {
    events.emit(
        AuthEvent.Type.AUTH_FAILED, Optional.empty(), Optional.empty(), denied.code(), keyHint, remote, "");
    return denied;
  }

  /** A key was created here: forget that its lookup id was ever unknown. */
  void created(String lookupId) {
    unknownLookupIds.invalidate(lookupId);
  }

  @Override
  public void keyChanged(ApiKeyId id) {
    long g = generation.incrementAndGet();
    changed.asMap().merge(id, g, Math::max);
  }

  @Override
  public void changesMayHaveBeenMissed() {
    generation.incrementAndGet();
    verified.synchronous().invalidateAll();
    LOG.info("key change feed interrupted: dropped all cached keys");
  }

  long estimatedCachedKeys() {
    verified.synchronous().cleanUp();
    return verified.synchronous().estimatedSize();
  }

  /** A failed verification as its waiters see it: carries the store's or the limiter's failure. */
  static final class LoadFailed extends CancellationException {
    private static final long serialVersionUID = 1L;
    final transient RuntimeException failure;

    LoadFailed(RuntimeException failure) {
      super("verification failed");
      this.failure = failure;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** Thrown when the hash verifiers are saturated or a lookup id is being flooded. */
  static final class VerificationsBusy extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final VerificationsBusy INSTANCE = new VerificationsBusy();

    private VerificationsBusy() {
      super("verifications busy", null, false, false);
    }
  }
}
