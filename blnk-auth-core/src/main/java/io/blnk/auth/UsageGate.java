package io.blnk.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import io.blnk.auth.usage.UsageStore;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles keys' usage policies into {@link UsageHandle}s and owns what must outlive a key's
 * cached record: the local buckets (by usage id and limits), the credit accounts (by usage id),
 * the owners' limits. Thread-safe.
 */
final class UsageGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageGate.class);

  private final UsageSettings settings;
  private final UsageStore store;
  private final StoreGuard guard;
  private final Ticker ticker;
  private final InstantSource clock;
  private final TimeMeter localTime;
  /** Null in local mode. */
  private final ProxyManager<String> shared;
  /** Local buckets, by bucket id: kept while used (a day past the longest period). */
  private final Cache<String, Bucket> buckets;
  /** Credit accounts, by usage id: kept until close, so every lease is given back. */
  private final ConcurrentHashMap<String, CreditAccount> accounts = new ConcurrentHashMap<>();
  /** Owner limits as last read from the store (empty: the host default). */
  private final Cache<OwnerId, Optional<RateLimit>> ownerLimits;

  UsageGate(
      UsageSettings settings,
      UsageStore store,
      StoreGuard guard,
      Ticker ticker,
      InstantSource clock,
      Duration cacheTtl,
      long maxSize) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.settings = settings;
    this.store = store;
    this.ticker = ticker;
    this.clock = clock;
    this.localTime =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return ticker.read();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
    if (settings.mode() == UsageSettings.Mode.CLUSTER) {
      TimeMeter wall =
          BlnkAuth.Builder.isSystemClock(clock)
              ? TimeMeter.SYSTEM_MILLISECONDS
              : new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                  return clock.millis() * 1_000_000L;
                }

                @Override
                public boolean isWallClockBased() {
                  return true;
                }
              };
      this.shared =
          store
              .clusterBuckets(wall)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "usage mode CLUSTER needs a usage store that shares buckets (a JdbcKeyStore"
                              + " on PostgreSQL, MariaDB or H2); "
                              + store
                              + " does not"));
    } else {
      this.shared = null;
    }
    this.buckets =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterAccess(RateLimit.MAX_PERIOD.plus(cacheTtl).plus(Duration.ofDays(1)))
            .maximumSize(maxSize)
            .executor(Runnable::run)
            .build();
    this.ownerLimits =
        Caffeine.newBuilder()
            .ticker(ticker)
            .expireAfterWrite(cacheTtl)
            .maximumSize(maxSize)
            .executor(Runnable::run)
            .build();
  }

  UsageStore store() {
    return store;
  }

  UsageSettings settings() {
    return settings;
  }

  /**
   * The handle for a key, or null when nothing limits it.
   *
   * @throws io.blnk.auth.store.StoreUnavailableException if the owner's limit could not be read
   */
  UsageHandle handle(String usageId, OwnerId owner, UsagePolicy policy) {
    Optional<RateLimit> ownerLimit = ownerLimits.get(owner, store::ownerLimit);
    if (ownerLimit.isEmpty()) {
      ownerLimit = settings.ownerLimit();
    }
    if (policy.isNone() && ownerLimit.isEmpty()) {
      return null;
    }
    List<RateLimit> keyLimits = policy.rateLimits();
    int n = keyLimits.size() + (ownerLimit.isPresent() ? 1 : 0);
    RateLimit[] specs = new RateLimit[n];
    for (int i = 0; i < keyLimits.size(); i++) {
      specs[i] = keyLimits.get(i);
    }
    ownerLimit.ifPresent(l -> specs[n - 1] = l);
    Bucket keyBucket =
        keyLimits.isEmpty() ? null : bucket("k:" + usageId + ":" + signature(keyLimits), keyLimits);
    Bucket ownerBucket =
        ownerLimit
            .map(l -> bucket("o:" + owner.value() + ":" + signature(List.of(l)), List.of(l)))
            .orElse(null);
    CreditAccount account = null;
    if (policy.credits().isPresent()) {
      account = account(usageId, policy.credits().get().refill().orElse(null));
    }
    return new UsageHandle(specs, keyLimits.size(), keyBucket, ownerBucket, account, shared != null);
  }

  /**
   * This node's account of {@code usageId}'s balance, made on first use; replaced (its lease given
   * back) when the balance's refill changed.
   */
  private CreditAccount account(String usageId, Refill refill) {
    for (;;) {
      CreditAccount current =
          accounts.computeIfAbsent(
              usageId,
              id ->
                  new CreditAccount(
                      id, store, settings.maxLease(), settings.exhaustedRecheck().toNanos(), refill));
      if (Objects.equals(current.refill(), refill)) {
        return current;
      }
      if (accounts.remove(usageId, current)) {
        current.close();
      }
    }
  }

  /** Forgets the owner limit read for {@code owner} (after this node changed it). */
  void ownerLimitChanged(OwnerId owner) {
    ownerLimits.invalidate(owner);
  }

  /** Drops this node's credit account for {@code usageId}, giving its lease back (credits redefined). */
  void creditsChanged(String usageId) {
    CreditAccount a = accounts.remove(usageId);
    if (a != null) {
      a.close();
    }
  }

  /**
   * Takes {@code cost} from the handle's limits and credits. A cluster check (one database round
   * trip) runs under the store's deadline and circuit: while the database is down it is refused at
   * once, never left waiting for a connection.
   *
   * @throws io.blnk.auth.store.StoreUnavailableException if the store was needed and failed, or
   *     its circuit is open
   */
  Admission admit(UsageHandle handle, long cost) {
    if (handle.isCluster()) {
      return guard.call("rateLimit", () -> handle.admit(cost, clock.millis(), ticker.read()));
    }
    return handle.admit(cost, clock.millis(), ticker.read());
  }

  private Bucket bucket(String id, List<RateLimit> limits) {
    if (shared != null) {
      return shared.builder().build(id, () -> configuration(limits));
    }
    return buckets.get(
        id,
        k -> {
          var b = Bucket.builder().withCustomTimePrecision(localTime).withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED);
          for (RateLimit l : limits) {
            b.addLimit(bandwidth(l));
          }
          return b.build();
        });
  }

  static BucketConfiguration configuration(List<RateLimit> limits) {
    var b = BucketConfiguration.builder();
    for (RateLimit l : limits) {
      b.addLimit(bandwidth(l));
    }
    return b.build();
  }

  private static Bandwidth bandwidth(RateLimit l) {
    return Bandwidth.builder().capacity(l.limit()).refillGreedy(l.limit(), l.period()).id(l.name()).build();
  }

  private static String signature(List<RateLimit> limits) {
    StringBuilder s = new StringBuilder();
    for (RateLimit l : limits) {
      s.append(l.name()).append('/').append(l.limit()).append('/').append(l.periodSeconds()).append(';');
    }
    return Integer.toHexString(s.toString().hashCode());
  }

  /** Gives every held lease back. */
  @Override
  public void close() {
    for (CreditAccount a : accounts.values()) {
      try {
        a.close();
      } catch (RuntimeException e) {
        LOG.warn("could not give leased credits back: {}", e.toString());
      }
    }
    accounts.clear();
  }
}
