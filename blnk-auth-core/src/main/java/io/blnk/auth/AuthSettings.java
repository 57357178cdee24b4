package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.usage.UsageSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The settings a {@link BlnkAuth} was built with: what its {@link BlnkAuth.Builder} held when
 * {@link BlnkAuth.Builder#build()} ran, with every default filled in, validated once. A built
 * instance reads only its settings, so using its builder again cannot change it. Read it through
 * {@link BlnkAuth#settings()}, e.g. for health or configuration reports.
 *
 * <p>The master keys are held but never shown: {@link #hasMasterKey()} and {@link
 * #previousMasterKeyCount()} say whether they are set, and {@link #toString()} names neither.
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthSettings {

  /** A bcrypt hash (cost 4) of {@link #BCRYPT_PROBE}: proves a hasher understands bcrypt. */
  private static final String BCRYPT_PROBE_HASH =
      "$2a$04$ifhMtS0NCfaWFc2rLU6HKOIQ/MDdPNZww5bDw1d0FXLjbP0LyicyS";

  private static final String BCRYPT_PROBE = "blnk-auth bcrypt self-check";

  private final boolean secure;
  private final String masterKey;
  private final List<String> previousMasterKeys;
  private final KeyStore store;
  private final KeyHasher hasher;
  private final KeyFormat keyFormat;
  private final ResourceRegistry registry;
  private final InstantSource clock;
  private final SecureRandom random;
  private final AuthListener listener;
  private final Duration cacheTtl;
  private final Duration proofTtl;
  private final long cacheMaximumSize;
  private final Duration negativeCacheTtl;
  private final int maxFailures;
  private final Duration failureWindow;
  private final int maxConcurrentVerifications;
  private final Duration verificationWait;
  private final double verificationShare;
  private final Ticker ticker;
  private final Duration lastUsedInterval;
  private final boolean allowNonExpiringKeys;
  private final Duration rotationGrace;
  private final Duration maxRotationGrace;
  private final int maxActiveKeysPerOwner;
  private final Duration storeTimeout;
  private final Duration storeRetryAfter;
  private final int maxStoreCallsInFlight;
  private final Duration refusalAggregation;
  private final boolean acceptBlnkCoreKeys;
  private final Optional<Duration> maxKeyLifetime;
  private final UsageSettings usage;

  /**
   * Snapshots the builder and checks what only the whole can tell (each value was checked by its
   * setter): a store is given, secure mode has strong master keys, Blnk Core keys come with a
   * hasher that handles bcrypt.
   *
   * @throws IllegalStateException as {@link BlnkAuth.Builder#build()} documents
   */
  AuthSettings(BlnkAuth.Builder b) {
    if (b.store == null) {
      throw new IllegalStateException("a KeyStore is required: call store(...)");
    }
    if (b.secure) {
      if (b.masterKey == null || b.masterKey.isEmpty()) {
        throw new IllegalStateException(
            "secure mode needs a master key (server.secret_key / BLNK_SERVER_SECRET_KEY). "
                + BlnkAuth.Builder.GENERATE_HINT);
      }
      BlnkAuth.Builder.requireStrong(b.masterKey, "the master key");
      for (String previous : b.previousMasterKeys) {
        BlnkAuth.Builder.requireStrong(previous, "a previous master key");
      }
    }
    KeyHasher hasher = b.hasher != null ? b.hasher : KeyHasher.argon2id();
    if (b.acceptBlnkCoreKeys && !handlesBcrypt(hasher)) {
      throw new IllegalStateException(
          "acceptBlnkCoreKeys(true) needs a hasher that verifies Blnk Core's bcrypt hashes and"
              + " upgrades them, e.g. hasher(BlnkCoreHasher.upgradingTo(KeyHasher.argon2id()))"
              + " from blnk-auth-jdbc; "
              + hasher
              + " does not");
    }
    this.secure = b.secure;
    this.masterKey = b.masterKey;
    this.previousMasterKeys = List.copyOf(b.previousMasterKeys);
    this.store = b.store;
    this.hasher = hasher;
    this.keyFormat = b.format;
    this.registry = b.registry;
    this.clock = b.clock;
    this.random = b.random != null ? b.random : new SecureRandom();
    this.listener = b.listener;
    this.cacheTtl = b.cacheTtl;
    this.proofTtl = b.proofTtl;
    this.cacheMaximumSize = b.cacheMaximumSize;
    this.negativeCacheTtl = b.negativeCacheTtl;
    this.maxFailures = b.maxFailures;
    this.failureWindow = b.failureWindow;
    this.maxConcurrentVerifications = b.maxConcurrentVerifications;
    this.verificationWait = b.verificationWait;
    this.verificationShare = b.verificationShare;
    this.ticker = b.ticker != null ? b.ticker : tickerFor(b.clock);
    this.lastUsedInterval = b.lastUsedInterval;
    this.allowNonExpiringKeys = b.allowNonExpiringKeys;
    this.rotationGrace = b.rotationGrace;
    this.maxRotationGrace = b.maxRotationGrace;
    this.maxActiveKeysPerOwner = b.maxActiveKeysPerOwner;
    this.storeTimeout = b.storeTimeout;
    this.storeRetryAfter = b.storeRetryAfter;
    this.maxStoreCallsInFlight = b.maxStoreCallsInFlight;
    this.refusalAggregation = b.refusalAggregation;
    this.acceptBlnkCoreKeys = b.acceptBlnkCoreKeys;
    this.maxKeyLifetime = Optional.ofNullable(b.maxKeyLifetime);
    this.usage = b.usage;
  }

  private static boolean handlesBcrypt(KeyHasher hasher) {
    return hasher.needsRehash(BCRYPT_PROBE_HASH)
        && hasher.verify(
            BCRYPT_PROBE_HASH, BCRYPT_PROBE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * The monotonic time source of the caches and the throttle, whatever clock the host passed:
   * {@link Ticker#systemTicker()} for the system clock in any zone (a wall clock can step back);
   * for any other clock (a test's, a fixed one) its time made monotonic, so that moving the clock
   * ages the caches too. Expiry of keys always uses the clock itself.
   */
  private static Ticker tickerFor(InstantSource clock) {
    return BlnkAuth.Builder.isSystemClock(clock)
        ? Ticker.systemTicker()
        : new MonotonicTicker(clock);
  }

  /**
   * Whether secure mode is on ({@link BlnkAuth.Builder#secure}).
   *
   * @return true if requests must present a key; false if every request passes
   */
  public boolean secure() {
    return secure;
  }

  /**
   * Whether a master key is set ({@link BlnkAuth.Builder#masterKey}); the key itself is never
   * shown. Always true in secure mode.
   *
   * @return true if a non-empty master key was given
   */
  public boolean hasMasterKey() {
    return masterKey != null && !masterKey.isEmpty();
  }

  /**
   * How many former master keys are still accepted ({@link BlnkAuth.Builder#previousMasterKeys});
   * the keys themselves are never shown.
   *
   * @return the number of former master keys, 0 by default
   */
  public int previousMasterKeyCount() {
    return previousMasterKeys.size();
  }

  /**
   * The host's key store ({@link BlnkAuth.Builder#store}), as given: not the guarded view the
   * built instance calls through.
   *
   * @return the key store; it stays the host's to close
   */
  public KeyStore store() {
    return store;
  }

  /**
   * How keys are hashed ({@link BlnkAuth.Builder#hasher}).
   *
   * @return the hasher given, or the default Argon2id hasher
   */
  public KeyHasher hasher() {
    return hasher;
  }

  /**
   * The key format ({@link BlnkAuth.Builder#keyPrefix}).
   *
   * @return the format of the prefix given, or {@link KeyFormat#blnk()}
   */
  public KeyFormat keyFormat() {
    return keyFormat;
  }

  /**
   * The resources keys may be scoped to ({@link BlnkAuth.Builder#registry}).
   *
   * @return the registry given, or {@link ResourceRegistry#blnkDefaults()}
   */
  public ResourceRegistry registry() {
    return registry;
  }

  /**
   * The clock ({@link BlnkAuth.Builder#clock}).
   *
   * @return the instant source given, or the system clock
   */
  public InstantSource clock() {
    return clock;
  }

  /**
   * Who hears about events ({@link BlnkAuth.Builder#listener}).
   *
   * @return the listener given, or {@link AuthListener#slf4j()}
   */
  public AuthListener listener() {
    return listener;
  }

  /**
   * How long a cached key record is trusted ({@link BlnkAuth.Builder#cacheTtl}).
   *
   * @return the time to live of a key record, 60 s by default
   */
  public Duration cacheTtl() {
    return cacheTtl;
  }

  /**
   * How long an unused proof of a presented key is kept ({@link BlnkAuth.Builder#proofTtl}).
   *
   * @return the time to live of an unused proof, 24 h by default
   */
  public Duration proofTtl() {
    return proofTtl;
  }

  /**
   * The most entries of each key cache ({@link BlnkAuth.Builder#cacheMaximumSize}).
   *
   * @return the size bound, 100,000 by default
   */
  public long cacheMaximumSize() {
    return cacheMaximumSize;
  }

  /**
   * How long an unknown lookup id is remembered ({@link BlnkAuth.Builder#negativeCacheTtl}).
   *
   * @return the time to live of an unknown lookup id, 10 s by default
   */
  public Duration negativeCacheTtl() {
    return negativeCacheTtl;
  }

  /**
   * The failures allowed per lookup id within the {@link #failureWindow()} ({@link
   * BlnkAuth.Builder#failureThrottle}).
   *
   * @return the failures allowed, 10 by default
   */
  public int maxFailures() {
    return maxFailures;
  }

  /**
   * The sliding window of the failure throttle ({@link BlnkAuth.Builder#failureThrottle}).
   *
   * @return the window, 1 minute by default
   */
  public Duration failureWindow() {
    return failureWindow;
  }

  /**
   * The most hashes running at once ({@link BlnkAuth.Builder#verificationLimit}).
   *
   * @return the limit, by default the number of processors (at least 2)
   */
  public int maxConcurrentVerifications() {
    return maxConcurrentVerifications;
  }

  /**
   * How long a request waits for a hashing permit ({@link BlnkAuth.Builder#verificationLimit}).
   *
   * @return the wait, 2 s by default
   */
  public Duration verificationWait() {
    return verificationWait;
  }

  /**
   * The share of the hashing permits one client address or owner may hold ({@link
   * BlnkAuth.Builder#verificationShare}).
   *
   * @return a fraction in (0, 1], 0.5 by default
   */
  public double verificationShare() {
    return verificationShare;
  }

  /**
   * How often pending {@code last_used_at} times are written ({@link
   * BlnkAuth.Builder#lastUsedInterval}).
   *
   * @return the interval, 60 s by default
   */
  public Duration lastUsedInterval() {
    return lastUsedInterval;
  }

  /**
   * Whether keys may be created without an expiry ({@link BlnkAuth.Builder#allowNonExpiringKeys}).
   *
   * @return true if a create without {@code expires_at} is accepted, false by default
   */
  public boolean allowNonExpiringKeys() {
    return allowNonExpiringKeys;
  }

  /**
   * The grace of a rotation that asks for none ({@link BlnkAuth.Builder#rotationGrace}).
   *
   * @return the default grace, 24 h by default
   */
  public Duration rotationGrace() {
    return rotationGrace;
  }

  /**
   * The longest grace a rotation may ask for ({@link BlnkAuth.Builder#rotationGrace}).
   *
   * @return the longest grace, 7 days by default
   */
  public Duration maxRotationGrace() {
    return maxRotationGrace;
  }

  /**
   * The most active keys per owner ({@link BlnkAuth.Builder#maxActiveKeysPerOwner}).
   *
   * @return the limit, 1,000 by default
   */
  public int maxActiveKeysPerOwner() {
    return maxActiveKeysPerOwner;
  }

  /**
   * The deadline of each store call made for a request ({@link BlnkAuth.Builder#storeTimeouts}).
   *
   * @return the deadline, 2 s by default
   */
  public Duration storeTimeout() {
    return storeTimeout;
  }

  /**
   * How long the store's circuit stays open before a probe ({@link
   * BlnkAuth.Builder#storeTimeouts}).
   *
   * @return the time, 2 s by default
   */
  public Duration storeRetryAfter() {
    return storeRetryAfter;
  }

  /**
   * The most store calls running at once ({@link BlnkAuth.Builder#storeTimeouts}).
   *
   * @return the limit, 64 by default
   */
  public int maxStoreCallsInFlight() {
    return maxStoreCallsInFlight;
  }

  /**
   * How long repeats of a refusal are gathered into one event ({@link
   * BlnkAuth.Builder#aggregateRefusals}).
   *
   * @return the interval, 10 s by default; zero when every refusal is delivered at once
   */
  public Duration refusalAggregation() {
    return refusalAggregation;
  }

  /**
   * Whether keys issued by Blnk Core are accepted ({@link BlnkAuth.Builder#acceptBlnkCoreKeys}).
   *
   * @return true if imported Blnk Core keys are accepted, false by default
   */
  public boolean acceptBlnkCoreKeys() {
    return acceptBlnkCoreKeys;
  }

  /**
   * The longest a key may live ({@link BlnkAuth.Builder#maxKeyLifetime}).
   *
   * @return the limit, or empty (the default) when keys may live as long as their expiry says
   */
  public Optional<Duration> maxKeyLifetime() {
    return maxKeyLifetime;
  }

  /**
   * How rate limits and credits are enforced ({@link BlnkAuth.Builder#usage}).
   *
   * @return the usage settings given, or {@link UsageSettings#defaults()}
   */
  public UsageSettings usage() {
    return usage;
  }

  /** The randomness for new keys: the builder's, or a new {@link SecureRandom}. */
  SecureRandom random() {
    return random;
  }

  /** The monotonic time source of the caches and the throttle (see {@link #tickerFor}). */
  Ticker ticker() {
    return ticker;
  }

  /** The master key, then the former ones, each as a new array; empty keys left out. */
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

  /**
   * Every setting but the master keys, which are only counted.
   *
   * @return a description for logs and diagnostics, without any secret
   */
  @Override
  public String toString() {
    return "AuthSettings[secure="
        + secure
        + ", masterKey="
        + (hasMasterKey() ? "(set)" : "unset")
        + ", previousMasterKeys="
        + previousMasterKeys.size()
        + ", store="
        + store
        + ", hasher="
        + hasher
        + ", keyPrefix="
        + keyFormat.prefix()
        + ", resources="
        + registry.size()
        + ", cacheTtl="
        + cacheTtl
        + ", proofTtl="
        + proofTtl
        + ", cacheMaximumSize="
        + cacheMaximumSize
        + ", negativeCacheTtl="
        + negativeCacheTtl
        + ", failureThrottle="
        + maxFailures
        + "/"
        + failureWindow
        + ", verificationLimit="
        + maxConcurrentVerifications
        + "/"
        + verificationWait
        + ", verificationShare="
        + verificationShare
        + ", lastUsedInterval="
        + lastUsedInterval
        + ", allowNonExpiringKeys="
        + allowNonExpiringKeys
        + ", rotationGrace="
        + rotationGrace
        + "/"
        + maxRotationGrace
        + ", maxActiveKeysPerOwner="
        + maxActiveKeysPerOwner
        + ", storeTimeouts="
        + storeTimeout
        + "/"
        + storeRetryAfter
        + "/"
        + maxStoreCallsInFlight
        + ", refusalAggregation="
        + refusalAggregation
        + ", acceptBlnkCoreKeys="
        + acceptBlnkCoreKeys
        + ", maxKeyLifetime="
        + maxKeyLifetime.map(Duration::toString).orElse("none")
        + ", usage="
        + usage
        + "]";
  }
}
