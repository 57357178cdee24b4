package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.internal.GuardedKeyStore;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

  private BlnkAuth(Builder b) {
    this.secure = b.secure;
    this.clock = b.clock;
    this.guarded = (GuardedKeyStore) b.store;
    this.registry = b.registry;
    this.format = b.format;
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "blnk-auth-maintenance");
              t.setDaemon(true);
              return t;
            });
    EventSink events = new EventSink(b.listener, b.clock, b.ticker(), b.refusalAggregation);
    this.events = events;
    this.lastUsed = new LastUsedRecorder(b.store, b.lastUsedInterval.toMillis());
    this.usage =
        new UsageGate(
            b.usage,
            b.usage.store().or(b.store::usageStore).orElseGet(io.blnk.auth.usage.UsageStore::inMemory),
            b.ticker(),
            b.clock,
            b.cacheTtl,
            b.cacheMaximumSize);
    this.authenticator = new Authenticator(b, events, lastUsed, usage);
    this.keys = new KeyService(b, authenticator, events);
    this.feed = b.store.subscribe(authenticator);
    long every = b.lastUsedInterval.toMillis();
    background.scheduleWithFixedDelay(lastUsed::flush, every, every, TimeUnit.MILLISECONDS);
    long aggregation = b.refusalAggregation.toMillis();
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
   * secure mode, the master key. Not thread-safe; {@link #build()} validates everything.
   */
  public static final class Builder {
    boolean secure = true;
    private String masterKey;
    private List<String> previousMasterKeys = List.of();
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
    private Ticker ticker;
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
     */
    public Builder usage(io.blnk.auth.usage.UsageSettings settings) {
      this.usage = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Secure mode (default on). Off lets every request through and logs a loud warning.
     *
     * @param secure true to require keys; false to let every request through
     * @return this builder
     */
    public Builder secure(boolean secure) {
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
     */
    public Builder masterKey(String masterKey) {
      this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
      return this;
    }

    /**
     * Former master keys still accepted while clients move to the new one.
     *
     * @param keys the former master keys, each checked for strength by {@link #build()} in secure
     *     mode; copied
     * @return this builder
     * @throws NullPointerException if {@code keys} or an element is null
     */
    public Builder previousMasterKeys(List<String> keys) {
      this.previousMasterKeys = List.copyOf(keys);
      return this;
    }

    /**
     * Where keys live. Required.
     *
     * @param store the key store; it stays the host's to close
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     */
    public Builder store(KeyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How keys are hashed at rest. Default: Argon2id, m=19456 KiB, t=2, p=1.
     *
     * @param hasher hashes new keys and verifies presented ones
     * @return this builder
     * @throws NullPointerException if {@code hasher} is null
     */
    public Builder hasher(KeyHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher, "hasher");
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
     */
    public Builder keyPrefix(String prefix) {
      this.format = KeyFormat.withPrefix(prefix);
      return this;
    }

    /**
     * The resources keys may be scoped to. Default: {@link ResourceRegistry#blnkDefaults()}.
     *
     * @param registry the resources known to this instance
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     */
    public Builder registry(ResourceRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The clock for expiry, creation times and cache lifetimes. Default: the system clock.
     *
     * @param clock the time source; a test passes a controllable one
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The randomness for new keys. Default: a new {@link SecureRandom}.
     *
     * @param random the source of new keys' secrets
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Who hears about events. Default: {@link AuthListener#slf4j()}.
     *
     * @param listener receives authentication and key events
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(AuthListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
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
     */
    public Builder aggregateRefusals(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval must not be negative, was " + interval);
      }
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
     */
    public Builder cacheTtl(Duration ttl) {
      this.cacheTtl = positive(ttl, "cacheTtl");
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
     */
    public Builder proofTtl(Duration ttl) {
      this.proofTtl = positive(ttl, "proofTtl");
      return this;
    }

    /**
     * How many proofs, and how many key records, are cached at most (each). Default 100,000.
     *
     * @param size the most entries in each cache
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public Builder cacheMaximumSize(long size) {
      if (size < 1) {
        throw new IllegalArgumentException("cacheMaximumSize must be at least 1, was " + size);
      }
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
     */
    public Builder negativeCacheTtl(Duration ttl) {
      this.negativeCacheTtl = positive(ttl, "negativeCacheTtl");
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
     */
    public Builder failureThrottle(int maxFailures, Duration window) {
      if (maxFailures < 1) {
        throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
      }
      this.maxFailures = maxFailures;
      this.failureWindow = positive(window, "window");
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
     */
    public Builder verificationLimit(int concurrent, Duration wait) {
      if (concurrent < 1) {
        throw new IllegalArgumentException("concurrent must be at least 1, was " + concurrent);
      }
      this.maxConcurrentVerifications = concurrent;
      this.verificationWait = Objects.requireNonNull(wait, "wait");
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
     */
    public Builder verificationShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("share must be in (0, 1], was " + share);
      }
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
     */
    public Builder lastUsedInterval(Duration interval) {
      this.lastUsedInterval = positive(interval, "lastUsedInterval");
      return this;
    }

    /**
     * Whether keys may be created without {@code expires_at}. Default false.
     *
     * @param allow true to accept a create without an expiry
     * @return this builder
     */
    public Builder allowNonExpiringKeys(boolean allow) {
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
     */
    public Builder rotationGrace(Duration byDefault, Duration maximum) {
      Objects.requireNonNull(byDefault, "byDefault");
      Objects.requireNonNull(maximum, "maximum");
      if (byDefault.isNegative() || byDefault.compareTo(maximum) > 0) {
        throw new IllegalArgumentException("rotation grace must be between 0 and the maximum");
      }
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
     */
    public Builder maxActiveKeysPerOwner(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("maxActiveKeysPerOwner must be at least 1, was " + limit);
      }
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
     */
    public Builder storeTimeouts(Duration timeout, Duration retryAfter, int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
      }
      this.storeTimeout = positive(timeout, "timeout");
      this.storeRetryAfter = positive(retryAfter, "retryAfter");
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
     */
    public Builder acceptBlnkCoreKeys(boolean accept) {
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
     */
    public Builder maxKeyLifetime(Duration lifetime) {
      this.maxKeyLifetime = positive(lifetime, "maxKeyLifetime");
      return this;
    }

    /**
     * Builds the instance and starts its background thread.
     *
     * @return a new, started instance; close it when done
     * @throws IllegalStateException if no store was given, or secure mode has no master key or a
     *     weak one (the message says how to generate a strong one), or Blnk Core keys are
     *     accepted with a hasher that cannot verify and upgrade bcrypt
     *
     */
    public BlnkAuth build() {
      if (store == null) {
        throw new IllegalStateException("a KeyStore is required: call store(...)");
      }
      if (secure) {
        if (masterKey == null || masterKey.isEmpty()) {
          throw new IllegalStateException(
              "secure mode needs a master key (server.secret_key / BLNK_SERVER_SECRET_KEY). "
                  + GENERATE_HINT);
        }
        requireStrong(masterKey, "the master key");
        for (String previous : previousMasterKeys) {
          requireStrong(previous, "a previous master key");
        }
      }
      if (hasher == null) {
        hasher = KeyHasher.argon2id();
      }
      if (random == null) {
        random = new SecureRandom();
      }
      if (acceptBlnkCoreKeys && !handlesBcrypt(hasher)) {
        throw new IllegalStateException(
            "acceptBlnkCoreKeys(true) needs a hasher that verifies Blnk Core's bcrypt hashes and"
                + " upgrades them, e.g. hasher(BlnkCoreHasher.upgradingTo(KeyHasher.argon2id()))"
                + " from blnk-auth-jdbc; "
                + hasher
                + " does not");
      }
      KeyStore hostStore = store;
      store =
          new GuardedKeyStore(
              hostStore, storeTimeout, storeRetryAfter, maxStoreCallsInFlight, clock);
      try {
        return new BlnkAuth(this);
      } finally {
        store = hostStore;
      }
    }

    /** A bcrypt hash (cost 4) of {@link #BCRYPT_PROBE}: proves a hasher understands bcrypt. */
    private static final String BCRYPT_PROBE_HASH =
        "$2a$04$ifhMtS0NCfaWFc2rLU6HKOIQ/MDdPNZww5bDw1d0FXLjbP0LyicyS";

    private static final String BCRYPT_PROBE = "blnk-auth bcrypt self-check";

    private static boolean handlesBcrypt(KeyHasher hasher) {
      return hasher.needsRehash(BCRYPT_PROBE_HASH)
          && hasher.verify(
              BCRYPT_PROBE_HASH, BCRYPT_PROBE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final String GENERATE_HINT =
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

    List<char[]> masterKeyChars() {
      List<char[]> keys = new ArrayList<>();
      if (masterKey != null && !masterKey.isEmpty()) {
        keys.add(masterKey.toCharArray());
      }
      for (String previous : previousMasterKeys) {
        if (!previous.isEmpty()) {
          keys.add(previous.toCharArray());
        }
      }
      return List.copyOf(keys);
    }

    /** For tests in this package: the cache and throttle time source, in nanoseconds. */
    Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The monotonic time source of the caches and the throttle, whatever clock the host passed:
     * {@link System#nanoTime()} for the system clock in any zone (a wall clock can step back);
     * for any other clock (a test's, a fixed one) its time made monotonic, so that moving the clock
     * ages the caches too. Expiry of keys always uses the clock itself.
     */
    Ticker ticker() {
      if (ticker != null) {
        return ticker;
      }
      if (isSystemClock(clock)) {
        return Ticker.systemTicker();
      }
      return new MonotonicTicker(clock);
    }

    static boolean isSystemClock(InstantSource source) {
      return source.equals(InstantSource.system())
          || source instanceof java.time.Clock c
              && c.withZone(java.time.ZoneOffset.UTC).equals(java.time.Clock.systemUTC());
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
