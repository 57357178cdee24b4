package io.blnk.auth;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.internal.ScopeCompiler;
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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps 3 to 9 of a request's decision. Thread-safe; the cached path takes no lock and parses
 * nothing.
 *
 * <p>Two caches, for two facts with different lifetimes. A <em>proof</em> (SHA-256 of a presented
 * key → its key id) says that this very secret passed the hash once; it is written only after a
 * successful verification, lives long ({@code proofTtl} without use) and holds no plaintext. A
 * <em>record</em> (key id → the key's row and principal) is a copy of the store, kept briefly
 * ({@code cacheTtl}) and dropped by the revocation feed. A presented key with a proof never runs
 * the hash again and is never throttled: when its record is missing it is reloaded by id, one
 * indexed read. So Argon2id runs once per key per node (first sight, or a parameter upgrade), and a
 * feed reconnect ({@link #changesMayHaveBeenMissed()}) drops records but never proofs.
 *
 * <p>The cached decision reads one cache: a proof also holds the record it was last used with, and
 * that copy is used as long as no key has changed since it was read (the generation below is
 * unchanged) and it is younger than {@code cacheTtl}; otherwise the record cache decides as above.
 *
 * <p>Revocation. Every change to a key (from this node's key service or the store's feed) bumps
 * {@link #generation} and records the new value for that key in {@link #changed}. A cached record
 * remembers the generation seen <em>before</em> its row was read; a record older than its key's
 * last change (or than the last interrupted feed) is stale and is read again. So once a revoke has
 * returned, no request can be granted from a row read before it, whatever loads were in flight. A
 * row that says revoked or expired is final whatever its age (neither state is ever undone), so a
 * revoked key is always answered {@code AUTH_EXPIRED_API_KEY}, never "store unavailable".
 *
 * <p>Unproven presentations. The first verification of a presented key is single flight per digest.
 * It reserves a slot of its lookup id's {@link FailureThrottle} before anything else (unknown ids
 * are counted as known ones), then reads the row, then takes a turn of the {@link HashLimiter},
 * charged to the client address and the key's owner.
 */
final class Authenticator implements KeyChangeListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private static final AuthResult.Denied MISSING = AuthResult.Denied.of(ErrorCode.AUTH_MISSING_API_KEY);
  private static final AuthResult.Denied INVALID = AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY);
  private static final AuthResult.Denied EXPIRED = AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY);
  private static final AuthResult.Denied DISABLED = AuthResult.Denied.of(ErrorCode.AUTH_DISABLED_API_KEY);
  private static final AuthResult.Denied IP_NOT_ALLOWED =
      AuthResult.Denied.of(ErrorCode.AUTH_IP_NOT_ALLOWED);
  private static final AuthResult.Denied UNAVAILABLE =
      AuthResult.Denied.of(ErrorCode.AUTH_STORE_UNAVAILABLE);
  /** Verifiers busy or the caller's share used: worth a retry in a second. */
  private static final AuthResult.Denied BUSY =
      AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofSeconds(1));
  private static final AuthResult.Denied UNKNOWN_RESOURCE =
      AuthResult.Denied.of(ErrorCode.AUTH_UNKNOWN_RESOURCE);
  private static final AuthResult.Denied MASTER_REQUIRED =
      AuthResult.Denied.of(ErrorCode.AUTH_MASTER_KEY_REQUIRED);
  private static final AuthResult.Granted MASTER = new AuthResult.Granted(BlnkPrincipal.master());
  /** Reads of one record before a key that keeps changing is reported as unavailable. */
  private static final int MAX_READS = 5;

  private final KeyStore store;
  private final KeyHasher hasher;
  private final KeyFormat format;
  /** Also accept Blnk Core's 44-character keys (imported rows; opt-in). */
  private final boolean acceptBlnkCoreKeys;
  private final ResourceRegistry registry;
  private final InstantSource clock;
  private final List<char[]> masterKeys;
  /** SHA-256 of each master key, for presented texts shaped like keys. */
  private final KeyDigest[] masterDigests;
  private final EventSink events;
  private final LastUsedRecorder lastUsed;
  /** Compiles a key's rate limits and credits into the principal when its record is read. */
  private final UsageGate usage;

  /** Digest of a presented key → the id it was proven to be. Never holds a plaintext. */
  private final Cache<KeyDigest, Proof> proofs;
  /** Key id → its row as last read. Futures give single flight for reloads by id. */
  private final AsyncCache<ApiKeyId, VerifiedKey> records;
  /** First verifications in flight, by digest: single flight without holding a lock. */
  private final ConcurrentHashMap<KeyDigest, CompletableFuture<Verification>> firstVerifications =
      new ConcurrentHashMap<>();
  private final Cache<String, Boolean> unknownLookupIds;
  private final FailureThrottle throttle;
  private final HashLimiter limiter;
  private final RehashQueue rehashes;
  private final Cache<ApiKeyId, Long> changed;
  private final AtomicLong generation = new AtomicLong();
  /** The generation at the last interrupted feed: every record read before it is stale. */
  private volatile long droppedAt;
  /** "Insufficient permissions for r:a", one per resource and action, built once. */
  private final AuthResult.Denied[][] insufficient;
  /** Reads the age of a proof's record snapshot ({@link #snapshot}). */
  private final Ticker ticker;
  private final long cacheTtlNanos;
  /** Well-formed keys decided from the caches alone, and those that needed the store. */
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  Authenticator(
      AuthSettings s, KeyStore store, EventSink events, LastUsedRecorder lastUsed, UsageGate usage) {
    this.usage = usage;
    this.store = store;
    this.hasher = s.hasher();
    this.format = s.keyFormat();
    this.acceptBlnkCoreKeys = s.acceptBlnkCoreKeys();
    this.registry = s.registry();
    this.clock = s.clock();
    this.masterKeys = s.masterKeyChars();
    this.masterDigests = masterKeys.stream().map(Authenticator::digestOf).toArray(KeyDigest[]::new);
    this.events = events;
    this.lastUsed = lastUsed;
    Ticker ticker = s.ticker();
    this.ticker = ticker;
    this.cacheTtlNanos = s.cacheTtl().toNanos();
    this.proofs =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterAccess(s.proofTtl())
            .maximumSize(s.cacheMaximumSize())
            .executor(Runnable::run)
            .build();
    this.records =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(s.cacheTtl())
            .maximumSize(s.cacheMaximumSize())
            .executor(Runnable::run)
            .buildAsync();
    this.unknownLookupIds =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(s.negativeCacheTtl())
            .maximumSize(s.cacheMaximumSize())
            .executor(Runnable::run)
            .build();
    this.throttle =
        new FailureThrottle(s.maxFailures(), s.failureWindow(), s.cacheMaximumSize(), ticker);
    this.limiter =
        new HashLimiter(
            s.hasher(),
            s.maxConcurrentVerifications(),
            s.verificationWait(),
            s.verificationShare());
    this.rehashes = new RehashQueue(store);
    // A change must outlive every record that could have been read before it.
    this.changed =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(s.cacheTtl().plus(Duration.ofMinutes(5)))
            .executor(Runnable::run)
            .build();
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

  /** The node's usage controls, shared with the key service (credits of new keys). */
  UsageGate usage() {
    return usage;
  }

  /** The node's hash budget, shared with the key service's create and rotate. */
  HashLimiter limiter() {
    return limiter;
  }

  private static KeyDigest digestOf(char[] secret) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    try {
      return KeyDigest.of(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      Arrays.fill(encoded.array(), (byte) 0);
    }
  }

  /** Steps 3 to 7: who presents this key? */
  AuthResult authenticate(String presented, String remote) {
    if (presented == null || presented.isEmpty()) {
      return fail(MISSING, "", remote);
    }
    // A key-shaped text is compared with the master keys by its digest (theirs are computed
    // once), which the cache needs anyway; any other text by its characters. Which comparison
    // runs depends only on the presented text.
    if (!format.isWellFormed(presented)
        && !(acceptBlnkCoreKeys && BlnkCoreKeyFormat.isWellFormed(presented))) {
      return isMasterKey(presented) ? master(remote) : fail(INVALID, "", remote);
    }
    KeyDigest digest = KeyDigest.of(presented);
    if (isMasterDigest(digest)) {
      return master(remote);
    }
    Proof proof = proofs.getIfPresent(digest);
    VerifiedKey key = proof == null ? null : snapshot(proof);
    if (key != null) {
      hits.increment();
    } else {
      ApiKeyId proven = proof == null ? null : proof.id;
      key = proven == null ? null : cachedRecord(proven);
      (key != null ? hits : misses).increment();
      try {
        if (proven == null) {
          // Only now, for the hash: a cached key costs no byte array.
          byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
          Verification v = firstVerification(presented, bytes, digest, remote);
          if (v.denied != null) {
            return fail(v.denied, failureHint(presented), remote);
          }
          proven = v.id;
          key = v.key;
        }
        if (key == null || (isStale(key) && !refusedAt(key, clock.millis()))) {
          key = reload(proven);
        }
      } catch (StoreUnavailableException e) {
        LOG.debug("key store unavailable during {}: {}", e.operation(), e.getMessage());
        AuthResult.Denied denied =
            e.retryAfter().isPresent() ? UNAVAILABLE.withRetryAfter(e.retryAfter().get()) : UNAVAILABLE;
        return fail(denied, failureHint(presented), remote);
      }
      if (key == null) {
        // The row is gone: the proof proves nothing any more.
        proofs.invalidate(digest);
        return fail(INVALID, failureHint(presented), remote);
      }
      if (proof != null) {
        proof.record = key;
      }
    }
    long now = clock.millis();
    if (refusedAt(key, now)) {
      return fail(EXPIRED, key.keyPrefix, remote);
    }
    AuthResult.Denied lifecycle = lifecycleRefusal(key, remote);
    if (lifecycle != null) {
      return fail(lifecycle, key.keyPrefix, remote);
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

  /**
   * A disabled key, or a client outside the key's allowed addresses: refused, allocation-free.
   * Unlike {@link #refusedAt} neither is final (a key can be enabled, its list changed), so a
   * stale record saying so is read again first.
   */
  private static AuthResult.Denied lifecycleRefusal(VerifiedKey key, String remote) {
    if (key.disabled) {
      return DISABLED;
    }
    if (key.allowedIps != null && !key.allowedIps.permits(remote)) {
      return IP_NOT_ALLOWED;
    }
    return null;
  }

  private boolean refusedAt(VerifiedKey key, long nowMillis) {
    return key.revoked || key.principal().expiredAt(nowMillis, clock);
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
      // Judged by this registry's own entry: never by flags a resource from elsewhere carries.
      Resource r = resource.get();
      Optional<Resource> own = registry.issued(r) ? resource : registry.find(r.name());
      r = own.orElse(null);
      Optional<Action> action = Action.forHttpMethod(method);
      if (r == null) {
        denied = UNKNOWN_RESOURCE;
      } else if (r.masterOnly()) {
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

  private AuthResult master(String remote) {
    events.emit(AuthEvent.Type.AUTH_SUCCEEDED, Optional.empty(), Optional.empty(), null, "master", remote, "");
    return MASTER;
  }

  /** Whether a key-shaped text's digest is a master key's: every master compared, in fixed time. */
  private boolean isMasterDigest(KeyDigest digest) {
    boolean match = false;
    for (KeyDigest master : masterDigests) {
      match |= digest.sameAs(master);
    }
    return match;
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
    long read = key.readGeneration;
    if (generation.get() == read) {
      return false;
    }
    if (read < droppedAt) {
      return true;
    }
    Long changedAt = changed.getIfPresent(key.id);
    return changedAt != null && changedAt > read;
  }

  /**
   * The proof's own copy of its key's record, when it may be used without looking at the record
   * cache: read at the current generation (no change to any key and no feed interruption since),
   * and younger than the record cache's TTL. Otherwise null, and the record cache decides.
   */
  private VerifiedKey snapshot(Proof proof) {
    VerifiedKey k = proof.record;
    return k != null
            && k.readGeneration == generation.get()
            && ticker.read() - k.loadedAtNanos < cacheTtlNanos
        ? k
        : null;
  }

  /** The cached record of a proven key, if present, loaded and current. */
  private VerifiedKey cachedRecord(ApiKeyId id) {
    CompletableFuture<VerifiedKey> cached = records.getIfPresent(id);
    VerifiedKey key = cached != null && isDoneNormally(cached) ? cached.join() : null;
    return key == null || isStale(key) ? null : key;
  }

  /**
   * A proven key's record, read again by id: no hash, no throttle, one indexed read however many
   * requests ask at once.
   *
   * @return the record, or null if the key no longer exists
   */
  private VerifiedKey reload(ApiKeyId id) {
    for (int attempt = 0; attempt < MAX_READS; attempt++) {
      CompletableFuture<VerifiedKey> mine = new CompletableFuture<>();
      CompletableFuture<VerifiedKey> prior = records.asMap().putIfAbsent(id, mine);
      if (prior == null) {
        try {
          mine.complete(readRecord(id));
        } catch (RuntimeException e) {
          // Caffeine drops a failed future from the cache; wrapped as a cancellation, it also
          // skips logging a stack trace for every request of an outage.
          mine.completeExceptionally(new LoadFailed(e));
        }
      }
      CompletableFuture<VerifiedKey> result = prior == null ? mine : prior;
      VerifiedKey key = join(result);
      if (key == null || !isStale(key) || refusedAt(key, clock.millis())) {
        return key;
      }
      // Read before a change to this key landed: drop it and read again.
      records.asMap().remove(id, result);
    }
    throw new StoreUnavailableException("findById", "the key changed during every read", null);
  }

  private VerifiedKey readRecord(ApiKeyId id) {
    long readGeneration = generation.get();
    return store.findById(id).map(k -> record(k, readGeneration)).orElse(null);
  }

  private VerifiedKey record(ApiKey k, long readGeneration) {
    BlnkPrincipal principal = BlnkPrincipal.of(k, ScopeCompiler.compile(k.scopes(), registry));
    UsageHandle handle = usage.handle(k.usageId(), k.ownerId(), k.usage());
    if (handle != null) {
      principal = principal.withUsage(handle);
    }
    return new VerifiedKey(
                k.id(),
        k.keyPrefix(),
        k.revoked(),
        k.disabled(),
        k.allowedIps(),
        readGeneration,
        ticker.read(),
        principal);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (LoadFailed e) {
      throw e.failure;
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** What a first verification concluded: a proven key (its record, maybe stale), or a refusal. */
  private record Verification(ApiKeyId id, VerifiedKey key, AuthResult.Denied denied) {
    static Verification denied(AuthResult.Denied denied) {
      return new Verification(null, null, denied);
    }
  }

  /** The slow path, single flight per presented key: throttle, one read, one hash. */
  private Verification firstVerification(String presented, byte[] bytes, KeyDigest digest, String remote) {
    CompletableFuture<Verification> mine = new CompletableFuture<>();
    CompletableFuture<Verification> prior = firstVerifications.putIfAbsent(digest, mine);
    if (prior != null) {
      return join(prior);
    }
    try {
      Verification v = verifyFirst(presented, bytes, digest, remote);
      mine.complete(v);
      return v;
    } catch (RuntimeException e) {
      mine.completeExceptionally(new LoadFailed(e));
      throw e;
    } finally {
      firstVerifications.remove(digest, mine);
    }
  }

  private Verification verifyFirst(String presented, byte[] bytes, KeyDigest digest, String remote) {
    // A flight that ended just before this one began may have proven the key or found its id
    // unknown: both are written before a flight ends, so looking again here closes the window.
    Proof proven = proofs.getIfPresent(digest);
    if (proven != null) {
      return new Verification(proven.id, null, null);
    }
    String lookupId = lookupIdOf(presented);
    FailureThrottle.Reservation attempt = throttle.reserve(lookupId);
    if (attempt.refused()) {
      return Verification.denied(rateLimited(attempt.retryAfter()));
    }
    boolean giveBack = true;
    try {
      if (unknownLookupIds.getIfPresent(lookupId) != null) {
        giveBack = false;
        return Verification.denied(INVALID);
      }
      long readGeneration = generation.get();
      Optional<StoredKey> found = store.findByLookupId(lookupId);
      if (found.isEmpty()) {
        unknownLookupIds.put(lookupId, Boolean.TRUE);
        giveBack = false;
        return Verification.denied(INVALID);
      }
      StoredKey stored = found.get();
      ApiKey k = stored.key();
      HashLimiter.Turn turn = limiter.verification(remote, k.ownerId().value());
      if (turn == null) {
        return Verification.denied(BUSY);
      }
      boolean ok;
      String upgraded = null;
      try {
        ok = hasher.verify(stored.keyHash(), bytes);
        if (ok && hasher.needsRehash(stored.keyHash()) && rehashes.wants(k.id())) {
          // The plaintext is in hand only now: hash it here, queue only the result.
          upgraded = hasher.hash(bytes);
        }
      } finally {
        turn.close();
      }
      if (!ok) {
        giveBack = false;
        return Verification.denied(INVALID);
      }
      VerifiedKey key = record(k, readGeneration);
      Proof proof = new Proof(k.id());
      if (!isStale(key)) {
        records.put(k.id(), CompletableFuture.completedFuture(key));
        proof.record = key;
      }
      proofs.put(digest, proof);
      if (stored.keyDigest().isEmpty()) {
        backfillDigest(k.id(), digest);
      }
      if (upgraded != null) {
        rehashes.submit(k.id(), stored.keyHash(), upgraded);
      }
      return new Verification(k.id(), key, null);
    } finally {
      if (giveBack) {
        attempt.release();
      }
    }
  }

  /** A key stored before digests existed gets its digest on its first verification here. */
  private void backfillDigest(ApiKeyId id, KeyDigest digest) {
    try {
      store.recordDigest(id, digest.hex());
    } catch (RuntimeException e) {
      // Best effort: the next first verification (on any node) tries again.
      LOG.debug("could not record the digest of {}: {}", id, e.toString());
    }
  }

  private static AuthResult.Denied rateLimited(Duration wait) {
    return AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(wait);
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
    records.synchronous().invalidate(id);
  }

  /** Drops every record (each is read again by id, without a hash); keeps every proof. */
  @Override
  public void changesMayHaveBeenMissed() {
    droppedAt = generation.incrementAndGet();
    records.synchronous().invalidateAll();
    LOG.info("key change feed interrupted: dropped all cached key records (proofs kept)");
  }

  /** Finishes queued hash upgrades and stops their thread. */
  @Override
  public void close() {
    rehashes.close();
  }

  /** How many presented keys are proven on this node. */
  long estimatedCachedKeys() {
    proofs.cleanUp();
    return proofs.estimatedSize();
  }

  /** Presented keys (well-formed, not the master key) decided without reading the store. */
  long cacheHits() {
    return hits.sum();
  }

  /** Presented keys (well-formed, not the master key) that needed the store: first sight or a reload. */
  long cacheMisses() {
    return misses.sum();
  }

  /** How many key records are cached on this node. */
  long estimatedCachedRecords() {
    records.synchronous().cleanUp();
    return records.synchronous().estimatedSize();
  }

  /**
   * A proof: the key id a presented secret was proven to be, and a copy of that key's record as
   * last used, so that a cached decision reads one cache, not two. The copy is only a shortcut: it
   * is used only while {@link #snapshot} says it is as current as the record cache's would be.
   */
  private static final class Proof {
    final ApiKeyId id;
    volatile VerifiedKey record;

    Proof(ApiKeyId id) {
      this.id = id;
    }

    @Override
    public String toString() {
      return "Proof[" + id + "]";
    }
  }

  /** A failed verification or read as its waiters see it: carries the store's failure. */
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
}
