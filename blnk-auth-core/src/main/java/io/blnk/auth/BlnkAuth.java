package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.usage.UsageStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's entry point: Blnk-style API-key security for one application.
 *
 * <pre>{@code
 * BlnkAuth auth = BlnkAuth.builder()
 *     .store(store)                          // e.g. a JdbcKeyStore
 *     .masterKey(System.getenv("BLNK_SERVER_SECRET_KEY"))
 *     .build();
 * AuthResult result = auth.decide(headerValue, registry.find("ledgers"), "GET", remoteAddress);
 * }</pre>
 *
 * <p>Built once and immutable; thread-safe. {@link #close()} flushes pending {@code last_used_at}
 * writes and stops the background thread; it does not close the store, which belongs to the
 * host.
 */
public final class BlnkAuth implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BlnkAuth.class);

  /** The shortest master key accepted in secure mode. */
  public static final int MIN_MASTER_KEY_LENGTH = 32;
  /** The fewest distinct characters a master key must have in secure mode. */
  public static final int MIN_MASTER_KEY_DISTINCT_CHARS = 10;

  private final boolean secure;
  private final ResourceRegistry registry;
  private final KeyFormat format;
  private final Authenticator authenticator;
  private final KeyService keys;
  private final LastUsedRecorder lastUsed;
  private final ScheduledExecutorService background;
  private final AutoCloseable feed;
  private final GuardedKeyStore guarded;
  private final EventSink events;
  private final UsageGate usage;
  private final InstantSource clock;
  private final AuthSettings settings;

  private BlnkAuth(AuthSettings s) {
    this.settings = s;
    this.secure = s.secure();
    this.clock = s.clock();
    this.registry = s.registry();
    this.format = s.keyFormat();
    this.guarded =
        new GuardedKeyStore(
            s.store(), s.storeTimeout(), s.storeRetryAfter(), s.maxStoreCallsInFlight(), s.clock());
    KeyStore store = guarded;
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "blnk-auth-maintenance");
              t.setDaemon(true);
              return t;
            });
    EventSink events = new EventSink(s.listener(), s.clock(), s.ticker(), s.refusalAggregation());
    this.events = events;
    this.lastUsed = new LastUsedRecorder(store, s.lastUsedInterval().toMillis());
    this.usage =
        new UsageGate(
            s.usage(),
            usageStore(s, guarded),
            guarded.guard(),
            s.ticker(),
            s.clock(),
            s.cacheTtl(),
            s.cacheMaximumSize());
    this.authenticator = new Authenticator(s, store, events, lastUsed, usage);
    this.keys = new KeyService(s, store, authenticator, events);
    this.feed = store.subscribe(authenticator);
    long every = s.lastUsedInterval().toMillis();
    background.scheduleWithFixedDelay(lastUsed::flush, every, every, TimeUnit.MILLISECONDS);
    long aggregation = s.refusalAggregation().toMillis();
    if (aggregation > 0) {
      background.scheduleWithFixedDelay(
          events::flushEnded, aggregation, aggregation, TimeUnit.MILLISECONDS);
    }
    if (!secure) {
      LOG.warn(
          "SECURE MODE IS OFF: every request passes without authentication and API keys cannot be"
              + " managed. Set server.secure=true (BLNK_SERVER_SECURE=true) and a strong secret"
              + " key before exposing this server.");
    }
  }

  /**
   * The usage store behind the key store's deadline and circuit: the host's own, else the key
   * store's, else one in memory (which needs no guard).
   */
  private static UsageStore usageStore(AuthSettings s, GuardedKeyStore guarded) {
    Optional<UsageStore> database = s.usage().store().or(guarded::usageStore);
    return database.isEmpty()
        ? UsageStore.inMemory()
        : new GuardedUsageStore(database.get(), guarded.guard());
  }

  /**
   * A new builder.
   *
   * @return a builder with every setting at its default and no store
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether secure mode is on. When off, hosts let every request through without a principal.
   *
   * @return true if requests must present a key; false if every request passes
   */
  public boolean secure() {
    return secure;
  }

  /**
   * The settings this instance was built with, every default filled in; the master keys are
   * only counted, never shown.
   *
   * @return the immutable settings its builder held at {@link Builder#build()}
   */
  public AuthSettings settings() {
    return settings;
  }

  /**
   * The resources this instance knows, for mapping paths to resources.
   *
   * @return the registry given to the builder, or the default one
   */
  public ResourceRegistry registry() {
    return registry;
  }

  /**
   * The key format (prefix) this instance issues and accepts.
   *
   * @return the format for the builder's key prefix
   */
  public KeyFormat keyFormat() {
    return format;
  }

  /**
   * The clock expiry and key statuses are judged by (the builder's {@link Builder#clock}).
   *
   * @return the instant source given to the builder, or the system clock
   */
  public InstantSource clock() {
    return clock;
  }

  /**
   * The key service: create, get, list, update, disable, enable, revoke (also cascading), rotate,
   * and leak reports.
   *
   * @return this instance's key service, shared by all callers and thread-safe
   */
  public KeyService keys() {
    return keys;
  }

  /**
   * Authenticates a presented key (steps 3 to 7 of the request order): missing, master, malformed,
   * unknown or wrong, revoked or expired. A cached key is decided without I/O or locks.
   *
   * @param presentedKey the {@code X-Blnk-Key} header value, or null when absent
   * @param remoteAddress the client's IP address (the socket's, or the one the host's trusted
   *     proxies forwarded), or {@code ""} when unknown: named in events, and checked against the
   *     key's allowed addresses ({@code AUTH_IP_NOT_ALLOWED}; an unknown address is never inside
   *     a list)
   * @return {@link AuthResult.Granted} with the principal, or {@link AuthResult.Denied}: besides
   *     the SPEC's codes, {@code AUTH_DISABLED_API_KEY} (401) and {@code AUTH_IP_NOT_ALLOWED} (403)
   */
  public AuthResult authenticate(String presentedKey, String remoteAddress) {
    return authenticator.authenticate(presentedKey, remoteAddress);
  }

  /**
   * Authenticates a presented key for a caller with no client address (a CLI, a job): {@link
   * #authenticate(String, String)} with {@code ""}. A key restricted to {@linkplain
   * io.blnk.auth.key.ApiKey#allowedIps() addresses} is refused with {@code AUTH_IP_NOT_ALLOWED}.
   *
   * @param presentedKey the {@code X-Blnk-Key} header value, or null when absent
   * @return {@link AuthResult.Granted} with the principal, or {@link AuthResult.Denied} as for
   *     {@link #authenticate(String, String)}
   */
  public AuthResult authenticate(String presentedKey) {
    return authenticator.authenticate(presentedKey, "");
  }

  /**
   * Authorizes an authenticated principal (steps 8 and 9): unknown resource, master-only
   * resource, method to action, scope coverage. The master key may do anything.
   *
   * @param resource the resource the request's path maps to, or empty when none
   * @param httpMethod the request method, e.g. {@code GET}
   * @param principal the principal an earlier {@link #authenticate} granted
   * @param remoteAddress the client's IP address, or {@code ""} when unknown: named in the events
   *     of a refusal
   * @return {@code Granted} for the principal, or {@code Denied}
   * @throws NullPointerException if {@code principal}, {@code resource} or {@code httpMethod} is
   *     null
   */
  public AuthResult authorize(
      BlnkPrincipal principal, Optional<Resource> resource, String httpMethod, String remoteAddress) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(httpMethod, "httpMethod");
    AuthResult denied = authenticator.authorize(principal, resource, httpMethod, remoteAddress);
    return denied != null ? denied : new AuthResult.Granted(principal);
  }

  /**
   * The whole decision for one request (steps 3 to 9): {@link #authenticate} then {@link
   * #authorize}.
   *
   * @param presentedKey the {@code X-Blnk-Key} header value, or null when absent
   * @param resource the resource the request's path maps to, or empty when none
   * @param httpMethod the request method, e.g. {@code GET}
   * @param remoteAddress the client's IP address, or {@code ""} when unknown (see {@link
   *     #authenticate(String, String)})
   * @return {@code Granted} with the principal, or the first {@code Denied} of authentication or
   *     authorization
   * @throws NullPointerException if {@code resource} or {@code httpMethod} is null
   */
  public AuthResult decide(
      String presentedKey, Optional<Resource> resource, String httpMethod, String remoteAddress) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(httpMethod, "httpMethod");
    AuthResult result = authenticator.authenticate(presentedKey, remoteAddress);
    if (result instanceof AuthResult.Granted granted) {
      AuthResult denied =
          authenticator.authorize(granted.principal(), resource, httpMethod, remoteAddress);
      return denied != null ? denied : granted;
    }
    return result;
  }

  /**
   * Takes {@code cost} from the principal's rate limits (its key's, its owner's) and credits, after
   * {@link #decide} granted the request: all or nothing. The master key is never limited. A key in
   * local mode is decided without I/O or allocation while its credit lease lasts; a lease runs out
   * every few requests (one conditional update, see {@link io.blnk.auth.usage.UsageStore#lease});
   * in cluster mode each limited request is one database transaction.
   *
   * @param cost the request's cost, at least 1 (a host's route rule may set more)
   * @param principal the principal {@link #decide} granted; it carries its key's usage controls
   * @return admitted (with the limits' state for the {@code RateLimit} fields), or refused with
   *     {@code GEN_RATE_LIMITED} or {@code AUTH_USAGE_EXCEEDED} and a {@code Retry-After}
   * @throws IllegalArgumentException if {@code cost} is below 1
   * @throws io.blnk.auth.store.StoreUnavailableException if the usage store was needed and failed
   *
   */
  public Admission admit(BlnkPrincipal principal, long cost) {
    if (cost < 1) {
      throw new IllegalArgumentException("cost must be at least 1, was " + cost);
    }
    UsageHandle handle = principal.usage();
    return handle == null ? Admission.unlimited() : usage.admit(handle, cost);
  }

  /**
   * The rate limit on all of {@code owner}'s keys together: the owner's own if set, else the
   * host's default ({@link io.blnk.auth.usage.UsageSettings#ownerLimit()}).
   *
   * @param owner the owner whose keys the limit covers
   * @return the owner's effective limit; empty when neither the owner nor the host sets one
   * @throws NullPointerException if {@code owner} is null
   * @throws io.blnk.auth.store.StoreUnavailableException if the usage store cannot be read
   */
  public Optional<io.blnk.auth.usage.RateLimit> ownerLimit(io.blnk.auth.key.OwnerId owner) {
    Objects.requireNonNull(owner, "owner");
    return usage.store().ownerLimit(owner).or(() -> usage.settings().ownerLimit());
  }

  /**
   * Sets the rate limit on all of {@code owner}'s keys together, as the master key would through
   * {@link KeyService#setOwnerLimit}. This node applies it at once; others as their key records are
   * reloaded (within the cache TTL).
   *
   * @param owner the owner whose keys the limit covers
   * @param limit the new limit
   * @throws NullPointerException if an argument is null
   * @throws io.blnk.auth.store.StoreUnavailableException if the usage store cannot be written
   */
  public void setOwnerLimit(io.blnk.auth.key.OwnerId owner, io.blnk.auth.usage.RateLimit limit) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(limit, "limit");
    // A valid OwnerId named by the master key: nothing here can be refused.
    keys.setOwnerLimit(BlnkPrincipal.master(), KeyQuery.owner(owner.value()), limit).orElseThrow();
  }

  /**
   * Clears {@code owner}'s own rate limit on all its keys together, back to the host default, as
   * the master key would through {@link KeyService#clearOwnerLimit}. Applied as {@link
   * #setOwnerLimit}.
   *
   * @param owner the owner whose keys the limit covered
   * @throws NullPointerException if {@code owner} is null
   * @throws io.blnk.auth.store.StoreUnavailableException if the usage store cannot be written
   */
  public void clearOwnerLimit(io.blnk.auth.key.OwnerId owner) {
    Objects.requireNonNull(owner, "owner");
    keys.clearOwnerLimit(BlnkPrincipal.master(), KeyQuery.owner(owner.value())).orElseThrow();
  }

  /**
   * The usage controls' settings.
   *
   * @return the settings given to {@link Builder#usage}, or the defaults
   */
  public io.blnk.auth.usage.UsageSettings usageSettings() {
    return usage.settings();
  }

  /**
   * The state of the circuit in front of the key store, for health checks and metrics: {@code
   * CLOSED} while the store answers; {@code OPEN} after a store call failed or timed out, while
   * uncached keys are refused at once with {@code AUTH_STORE_UNAVAILABLE} (503, {@code
   * Retry-After}); {@code HALF_OPEN} while (or until) one probe call tests the store. The master
   * key, public paths and cached keys never call the store, whatever the state. Cheap; any
   * thread.
   *
   * @return the circuit's current state
   */
  public CircuitState storeCircuitState() {
    return guarded.state();
  }

  /**
   * How many store calls the circuit has refused at once so far (a running total, for metrics).
   *
   * @return the number of store calls refused without being made, since this instance was built
   */
  public long storeCallsRefused() {
    return guarded.refusals();
  }

  /**
   * This node's key caches, for metrics: how many presented keys are proven and how many key
   * records are cached (both estimates), and running totals of the presented keys (well-formed,
   * not the master key) decided from the caches alone ({@code hits}) or with a store read, for a
   * first verification or a record reload ({@code misses}). Cheap enough to read on every scrape.
   *
   * @return a new reading of the counters; not an atomic snapshot of all four
   */
  public CacheStatistics cacheStatistics() {
    return new CacheStatistics(
        authenticator.estimatedCachedKeys(),
        authenticator.estimatedCachedRecords(),
        authenticator.cacheHits(),
        authenticator.cacheMisses());
  }

  /**
   * A reading of {@link #cacheStatistics()}.
   *
   * @param proofs presented keys proven on this node (estimate)
   * @param records key records cached on this node (estimate)
   * @param hits presented keys decided without reading the store, since start
   * @param misses presented keys that needed the store, since start
   */
  public record CacheStatistics(long proofs, long records, long hits, long misses) {}

  /** Writes pending {@code last_used_at} times now instead of at the next interval. */
  public void flushLastUsed() {
    lastUsed.flush();
  }

  /**
   * Flushes pending {@code last_used_at} writes and the counts of aggregated refusals, unsubscribes
   * from the feed, stops the thread.
   */
  @Override
  public void close() {
    try {
      feed.close();
    } catch (Exception e) {
      LOG.warn("could not unsubscribe from the key change feed: {}", e.toString());
    }
    background.shutdown();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    authenticator.close();
    usage.close();
    lastUsed.flush();
    guarded.close();
    events.flushAll();
  }

  /** Delivers the counts of aggregated refusals whose interval has ended (for tests). */
  void flushEndedRefusals() {
    events.flushEnded();
  }

  /** For tests and benchmarks in this package: how many presented keys are proven. */
  long estimatedCachedKeys() {
    return authenticator.estimatedCachedKeys();
  }

  /** For tests and benchmarks in this package: how many key records are cached. */
  long estimatedCachedRecords() {
    return authenticator.estimatedCachedRecords();
  }

  /** For tests and benchmarks in this package: the change feed's listener. */
  io.blnk.auth.store.KeyChangeListener changeListener() {
    return authenticator;
  }

  @Override
  public String toString() {
    return "BlnkAuth[secure=" + secure + ", format=" + format.prefix() + "]";
  }

  /**
   * Configures a {@link BlnkAuth}. Every setting has a sound default except the store and, in
   * secure mode, the master key. Each option may be set once: a second call is a programmer
   * error and throws {@link IllegalStateException} naming the option ({@code "cacheTtl is already
   * set"}); an invalid value is refused by its setter with {@link IllegalArgumentException}.
   * {@link #build()} snapshots the options into an immutable {@link AuthSettings} and validates
   * the whole once, so the builder may build again and nothing done to it afterwards changes a
   * built instance. Not thread-safe.
   */
  public static final class Builder {
    /** The options set so far, by setter name: each may be set once. */
    private final Set<String> set = new HashSet<>();
    boolean secure = true;
    String masterKey;
    List<String> previousMasterKeys = List.of();
    KeyStore store;
    KeyHasher hasher;
    KeyFormat format = KeyFormat.blnk();
    ResourceRegistry registry = ResourceRegistry.blnkDefaults();
    InstantSource clock = InstantSource.system();
    SecureRandom random;
    AuthListener listener = AuthListener.slf4j();
    Duration cacheTtl = Duration.ofSeconds(60);
    Duration proofTtl = Duration.ofHours(24);
    long cacheMaximumSize = 100_000;
    Duration negativeCacheTtl = Duration.ofSeconds(10);
    int maxFailures = 10;
    Duration failureWindow = Duration.ofMinutes(1);
    int maxConcurrentVerifications = Math.max(2, Runtime.getRuntime().availableProcessors());
    Duration verificationWait = Duration.ofSeconds(2);
    double verificationShare = 0.5;
    Ticker ticker;
    Duration lastUsedInterval = Duration.ofSeconds(60);
    boolean allowNonExpiringKeys;
    Duration rotationGrace = Duration.ofHours(24);
    Duration maxRotationGrace = Duration.ofDays(7);
    int maxActiveKeysPerOwner = 1_000;
    Duration storeTimeout = Duration.ofSeconds(2);
    Duration storeRetryAfter = Duration.ofSeconds(2);
    int maxStoreCallsInFlight = 64;
    Duration refusalAggregation = Duration.ofSeconds(10);
    boolean acceptBlnkCoreKeys;
    Duration maxKeyLifetime;
    io.blnk.auth.usage.UsageSettings usage = io.blnk.auth.usage.UsageSettings.defaults();

    private Builder() {}

    /**
     * How rate limits and credits are enforced (issue 13): local or cluster buckets, the store of
     * balances (default: the key store's), the owner-wide default limit, the lease size. Default
     * {@link io.blnk.auth.usage.UsageSettings#defaults()}.
     *
     * @param settings how usage controls are enforced
     * @return this builder
     * @throws NullPointerException if {@code settings} is null
     * @throws IllegalStateException if {@code usage} is already set
     */
    public Builder usage(io.blnk.auth.usage.UsageSettings settings) {
      Objects.requireNonNull(settings, "settings");
      once("usage");
      this.usage = settings;
      return this;
    }

    /**
     * Secure mode (default on). Off lets every request through and logs a loud warning.
     *
     * @param secure true to require keys; false to let every request through
     * @return this builder
     * @throws IllegalStateException if {@code secure} is already set
     */
    public Builder secure(boolean secure) {
      once("secure");
      this.secure = secure;
      return this;
    }

    /**
     * The master key ({@code server.secret_key}). In secure mode it must be at least {@value
     * #MIN_MASTER_KEY_LENGTH} characters with at least {@value #MIN_MASTER_KEY_DISTINCT_CHARS}
     * distinct ones; {@link #build()} refuses a weaker one.
     *
     * @param masterKey the master key's plaintext
     * @return this builder
     * @throws NullPointerException if {@code masterKey} is null
     * @throws IllegalStateException if {@code masterKey} is already set
     */
    public Builder masterKey(String masterKey) {
      Objects.requireNonNull(masterKey, "masterKey");
      once("masterKey");
      this.masterKey = masterKey;
      return this;
    }

    /**
     * Former master keys still accepted while clients move to the new one.
     *
     * @param keys the former master keys, each checked for strength by {@link #build()} in secure
     *     mode; copied
     * @return this builder
     * @throws NullPointerException if {@code keys} or an element is null
     * @throws IllegalStateException if {@code previousMasterKeys} is already set
     */
    public Builder previousMasterKeys(List<String> keys) {
      List<String> copy = List.copyOf(keys);
      once("previousMasterKeys");
      this.previousMasterKeys = copy;
      return this;
    }

    /**
     * Where keys live. Required.
     *
     * @param store the key store; it stays the host's to close
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalStateException if {@code store} is already set
     */
    public Builder store(KeyStore store) {
      Objects.requireNonNull(store, "store");
      once("store");
      this.store = store;
      return this;
    }

    /**
     * How keys are hashed at rest. Default: Argon2id, m=19456 KiB, t=2, p=1.
     *
     * @param hasher hashes new keys and verifies presented ones
     * @return this builder
     * @throws NullPointerException if {@code hasher} is null
     * @throws IllegalStateException if {@code hasher} is already set
     */
    public Builder hasher(KeyHasher hasher) {
      Objects.requireNonNull(hasher, "hasher");
      once("hasher");
      this.hasher = hasher;
      return this;
    }

    /**
     * The key prefix, default {@code blnk}.
     *
     * @param prefix the prefix before the key's id and secret, as {@link KeyFormat#withPrefix}
     *     accepts it
     * @return this builder
     * @throws IllegalArgumentException if {@link KeyFormat#withPrefix} refuses the prefix
     * @throws NullPointerException if {@code prefix} is null
     * @throws IllegalStateException if {@code keyPrefix} is already set
     */
    public Builder keyPrefix(String prefix) {
      KeyFormat format = KeyFormat.withPrefix(prefix);
      once("keyPrefix");
      this.format = format;
      return this;
    }

    /**
     * The resources keys may be scoped to. Default: {@link ResourceRegistry#blnkDefaults()}.
     *
     * @param registry the resources known to this instance
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     * @throws IllegalStateException if {@code registry} is already set
     */
    public Builder registry(ResourceRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      once("registry");
      this.registry = registry;
      return this;
    }

    /**
     * The clock for expiry, creation times and cache lifetimes. Default: the system clock.
     *
     * @param clock the time source; a test passes a controllable one
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if {@code clock} is already set
     */
    public Builder clock(InstantSource clock) {
      Objects.requireNonNull(clock, "clock");
      once("clock");
      this.clock = clock;
      return this;
    }

    /**
     * The randomness for new keys. Default: a new {@link SecureRandom}.
     *
     * @param random the source of new keys' secrets
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     * @throws IllegalStateException if {@code random} is already set
     */
    public Builder random(SecureRandom random) {
      Objects.requireNonNull(random, "random");
      once("random");
      this.random = random;
      return this;
    }

    /**
     * Who hears about events. Default: {@link AuthListener#slf4j()}.
     *
     * @param listener receives authentication and key events
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if {@code listener} is already set
     */
    public Builder listener(AuthListener listener) {
      Objects.requireNonNull(listener, "listener");
      once("listener");
      this.listener = listener;
      return this;
    }

    /**
     * How refusals reach the listener, so that a flood cannot fill a log or an audit table: per
     * event type, error code and remote address, the first refusal is delivered at once and the
     * repeats within {@code interval} are delivered as one event with their {@link
     * AuthEvent#count() count} when the interval ends (and on {@link BlnkAuth#close()}). Default
     * 10 s; {@link Duration#ZERO} delivers every refusal as it happens.
     *
     * @param interval how long repeats of a refusal are gathered into one event
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is negative
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalStateException if {@code aggregateRefusals} is already set
     */
    public Builder aggregateRefusals(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must not be negative, was " + interval);
      }
      once("aggregateRefusals");
      this.refusalAggregation = interval;
      return this;
    }

    /**
     * How long a key's record (its row: revoked, expiry, scopes) is used without asking the store
     * again. An expired record is read again by id, one indexed read without a hash. Revocations
     * reach the cache sooner through the store's change feed. Default 60 s.
     *
     * @param ttl how long a cached key record is trusted
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     * @throws NullPointerException if {@code ttl} is null
     * @throws IllegalStateException if {@code cacheTtl} is already set
     */
    public Builder cacheTtl(Duration ttl) {
      positive(ttl, "cacheTtl");
      once("cacheTtl");
      this.cacheTtl = ttl;
      return this;
    }

    /**
     * How long a proof that a presented key passed its hash is kept without use. The proof is a
     * SHA-256 digest of the key mapped to the key's id (no plaintext); while it lives, the key is
     * never hashed or throttled again on this node. Default 24 h.
     *
     * @param ttl how long an unused proof is kept
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     * @throws NullPointerException if {@code ttl} is null
     * @throws IllegalStateException if {@code proofTtl} is already set
     */
    public Builder proofTtl(Duration ttl) {
      positive(ttl, "proofTtl");
      once("proofTtl");
      this.proofTtl = ttl;
      return this;
    }

    /**
     * How many proofs, and how many key records, are cached at most (each). Default 100,000.
     *
     * @param size the most entries in each cache
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is below 1
     * @throws IllegalStateException if {@code cacheMaximumSize} is already set
     */
    public Builder cacheMaximumSize(long size) {
      if (size < 1) {
        throw new IllegalArgumentException("cacheMaximumSize must be at least 1, was " + size);
      }
      once("cacheMaximumSize");
      this.cacheMaximumSize = size;
      return this;
    }

    /**
     * How long an unknown lookup id is answered without a query. Default 10 s.
     *
     * @param ttl how long an unknown lookup id is remembered as unknown
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is not positive
     * @throws NullPointerException if {@code ttl} is null
     * @throws IllegalStateException if {@code negativeCacheTtl} is already set
     */
    public Builder negativeCacheTtl(Duration ttl) {
      positive(ttl, "negativeCacheTtl");
      once("negativeCacheTtl");
      this.negativeCacheTtl = ttl;
      return this;
    }

    /**
     * At most {@code maxFailures} unproven presentations for one lookup id within any {@code
     * window} (a sliding window) may fail; further ones are refused with {@code GEN_RATE_LIMITED}
     * and a {@code Retry-After} until the oldest failure leaves the window, without a query or a
     * hash. Each attempt reserves its place before it is judged, so concurrent wrong secrets
     * cannot overshoot. Unknown lookup ids are counted the same way, so a refusal does not reveal
     * that an id exists. A proven key (one whose secret passed the hash on this node) is never
     * throttled. Defaults: 10 per minute.
     *
     * @param maxFailures the failures allowed per lookup id within the window
     * @param window the length of the sliding window
     * @return this builder
     * @throws IllegalArgumentException if {@code maxFailures} is below 1 or {@code window} is not
     *     positive
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalStateException if {@code failureThrottle} is already set
     */
    public Builder failureThrottle(int maxFailures, Duration window) {
      if (maxFailures < 1) {
        throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
      }
      positive(window, "window");
      once("failureThrottle");
      this.maxFailures = maxFailures;
      this.failureWindow = window;
      return this;
    }

    /**
     * How many hashes may run at once (verifications of keys not yet proven, and the hashing of
     * new keys by create and rotate), and how long a request waits for a turn before it is
     * refused with {@code GEN_RATE_LIMITED}. Defaults: the number of processors (at least 2), 2 s.
     *
     * @param concurrent the most hashes running at once
     * @param wait how long a request waits for a permit before it is refused
     * @return this builder
     * @throws IllegalArgumentException if {@code concurrent} is below 1
     * @throws NullPointerException if {@code wait} is null
     * @throws IllegalStateException if {@code verificationLimit} is already set
     */
    public Builder verificationLimit(int concurrent, Duration wait) {
      if (concurrent < 1) {
        throw new IllegalArgumentException("concurrent must be at least 1, was " + concurrent);
      }
      Objects.requireNonNull(wait, "wait");
      once("verificationLimit");
      this.maxConcurrentVerifications = concurrent;
      this.verificationWait = wait;
      return this;
    }

    /**
     * The share of the {@linkplain #verificationLimit verification permits} that one client
     * address, or the keys of one owner, may hold or wait for: {@code max(1, floor(limit ×
     * share))}. Verifications beyond it wait at their own address's or owner's gate, behind
     * nobody else's, and are refused with {@code GEN_RATE_LIMITED} and a {@code Retry-After} of
     * 1 s if the {@linkplain #verificationLimit wait} runs out. So one source or one tenant
     * flooding with its own lookup ids (valid, revoked or expired keys alike) keeps the other
     * permits free for other tenants' first uses. A client address is charged only when the host
     * passes one; 1.0 turns the per-address and per-owner budgets off. Default 0.5.
     *
     * @param share a fraction in (0, 1]
     * @return this builder
     * @throws IllegalArgumentException if {@code share} is not in (0, 1]
     *
     * @throws IllegalStateException if {@code verificationShare} is already set
     */
    public Builder verificationShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("share must be in (0, 1], was " + share);
      }
      once("verificationShare");
      this.verificationShare = share;
      return this;
    }

    /**
     * At most one {@code last_used_at} write per key per interval, batched. Default 60 s.
     *
     * @param interval how often pending {@code last_used_at} times are written
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is not positive
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalStateException if {@code lastUsedInterval} is already set
     */
    public Builder lastUsedInterval(Duration interval) {
      positive(interval, "lastUsedInterval");
      once("lastUsedInterval");
      this.lastUsedInterval = interval;
      return this;
    }

    /**
     * Whether keys may be created without {@code expires_at}. Default false.
     *
     * @param allow true to accept a create without an expiry
     * @return this builder
     * @throws IllegalStateException if {@code allowNonExpiringKeys} is already set
     */
    public Builder allowNonExpiringKeys(boolean allow) {
      once("allowNonExpiringKeys");
      this.allowNonExpiringKeys = allow;
      return this;
    }

    /**
     * How long a rotated key keeps working by default, and the longest grace a caller may ask
     * for. Defaults: 24 h and 7 days.
     *
     * @param byDefault the grace when a rotation asks for none
     * @param maximum the longest grace a rotation may ask for
     * @return this builder
     * @throws IllegalArgumentException if {@code byDefault} is negative or longer than {@code
     *     maximum}
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code rotationGrace} is already set
     */
    public Builder rotationGrace(Duration byDefault, Duration maximum) {
      Objects.requireNonNull(byDefault, "byDefault");
      Objects.requireNonNull(maximum, "maximum");
      if (byDefault.isNegative() || byDefault.compareTo(maximum) > 0) {
        throw new IllegalArgumentException("rotation grace must be between 0 and the maximum");
      }
      once("rotationGrace");
      this.rotationGrace = byDefault;
      this.maxRotationGrace = maximum;
      return this;
    }

    /**
     * The most active (neither revoked nor expired) keys one owner may have. A create beyond it is
     * refused with {@code APIKEY_LIMIT_EXCEEDED} (409) naming the limit; a rotation is refused
     * when the owner's other active keys already number this many. The store enforces it
     * atomically. Default 1,000.
     *
     * @param limit the most active keys per owner
     * @return this builder
     * @throws IllegalArgumentException if {@code limit} is below 1
     *
     * @throws IllegalStateException if {@code maxActiveKeysPerOwner} is already set
     */
    public Builder maxActiveKeysPerOwner(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxActiveKeysPerOwner must be at least 1, was " + limit);
      }
      once("maxActiveKeysPerOwner");
      this.maxActiveKeysPerOwner = limit;
      return this;
    }

    /**
     * How a request thread waits for the key store. Each store call made for a request runs with
     * a deadline of {@code timeout} (waiting for a connection included); a call that fails or
     * times out opens a circuit, and for {@code retryAfter} every uncached key is refused at once
     * with {@code AUTH_STORE_UNAVAILABLE} and {@code Retry-After}; then one probe call at a time
     * tests the store, and the first that succeeds closes the circuit. At most {@code
     * maxInFlight} store calls run at once, abandoned ones included. Defaults: 2 s, 2 s, 64.
     *
     * @param timeout the deadline of each store call made for a request
     * @param retryAfter how long the circuit stays open before a probe
     * @param maxInFlight the most store calls running at once
     * @return this builder
     * @throws IllegalArgumentException if a duration is not positive or {@code maxInFlight} is
     *     below 1
     * @throws NullPointerException if a duration is null
     * @throws IllegalStateException if {@code storeTimeouts} is already set
     */
    public Builder storeTimeouts(Duration timeout, Duration retryAfter, int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
      }
      positive(timeout, "timeout");
      positive(retryAfter, "retryAfter");
      once("storeTimeouts");
      this.storeTimeout = timeout;
      this.storeRetryAfter = retryAfter;
      this.maxStoreCallsInFlight = maxInFlight;
      return this;
    }

    /**
     * Whether keys issued by Blnk Core (44 characters, see {@link
     * io.blnk.auth.key.BlnkCoreKeyFormat}) are accepted, for rows imported from Blnk Core's {@code
     * api_keys} table. Default false: such keys are refused as malformed, before any store or
     * hash is touched. When true they are looked up by their first 16 characters, verified once
     * against the imported bcrypt hash, then cached and decided exactly like native keys, and
     * rehashed with this instance's hasher on their first successful use. Rotating one issues a
     * native key. The {@link #hasher} must then verify bcrypt and ask to rehash it (e.g. {@code
     * BlnkCoreHasher} of blnk-auth-jdbc); {@link #build()} checks this.
     *
     * @param accept true to accept imported Blnk Core keys
     * @return this builder
     * @throws IllegalStateException if {@code acceptBlnkCoreKeys} is already set
     */
    public Builder acceptBlnkCoreKeys(boolean accept) {
      once("acceptBlnkCoreKeys");
      this.acceptBlnkCoreKeys = accept;
      return this;
    }

    /**
     * The longest a key may live, from its creation to its expiry. A create, or an update of
     * {@code expires_at}, past it is refused with {@code APIKEY_INVALID} naming the limit; with a
     * limit, keys that never expire are refused too. Rotation keeps the old key's expiry, so it
     * cannot extend a key's life. Default: no limit.
     *
     * @param lifetime the longest time from a key's creation to its expiry
     * @return this builder
     * @throws IllegalArgumentException if {@code lifetime} is not positive
     * @throws NullPointerException if {@code lifetime} is null
     * @throws IllegalStateException if {@code maxKeyLifetime} is already set
     */
    public Builder maxKeyLifetime(Duration lifetime) {
      positive(lifetime, "maxKeyLifetime");
      once("maxKeyLifetime");
      this.maxKeyLifetime = lifetime;
      return this;
    }

    /**
     * Builds the instance and starts its background thread: snapshots this builder's options,
     * with every default filled in, into the instance's {@link AuthSettings}.
     *
     * @return a new, started instance; close it when done
     * @throws IllegalStateException if no store was given, or secure mode has no master key or a
     *     weak one (the message says how to generate a strong one), or Blnk Core keys are
     *     accepted with a hasher that cannot verify and upgrade bcrypt
     */
    public BlnkAuth build() {
      return new BlnkAuth(new AuthSettings(this));
    }

    static final String GENERATE_HINT =
        "Generate one with: openssl rand -base64 48   (or: head -c 48 /dev/urandom | base64)";

    /**
     * Checks a master key's strength without building anything; public as {@link
     * MasterKeys#requireStrong}.
     *
     * @throws IllegalStateException saying why the key is weak and how to generate a strong one;
     *     the message never states the key's length or any of its characters
     */
    static void requireStrong(String key, String what) {
      if (key.length() < MIN_MASTER_KEY_LENGTH) {
        throw new IllegalStateException(
            what
                + " is too short (at least "
                + MIN_MASTER_KEY_LENGTH
                + " characters are required). "
                + GENERATE_HINT);
      }
      if (key.chars().distinct().count() < MIN_MASTER_KEY_DISTINCT_CHARS) {
        throw new IllegalStateException(
            what
                + " has too little variety (fewer than "
                + MIN_MASTER_KEY_DISTINCT_CHARS
                + " distinct characters). "
                + GENERATE_HINT);
      }
    }

    /** For tests in this package: the cache and throttle time source, in nanoseconds. */
    Builder ticker(Ticker ticker) {
      Objects.requireNonNull(ticker, "ticker");
      once("ticker");
      this.ticker = ticker;
      return this;
    }

    static boolean isSystemClock(InstantSource source) {
      return source.equals(InstantSource.system())
          || source instanceof java.time.Clock c
              && c.withZone(java.time.ZoneOffset.UTC).equals(java.time.Clock.systemUTC());
    }

    /**
     * Records that {@code option} is set.
     *
     * @throws IllegalStateException naming the option if it was set before
     */
    private void once(String option) {
      if (!set.add(option)) {
        throw new IllegalStateException(option + " is already set");
      }
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
