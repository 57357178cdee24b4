package io.blnk.auth.usage;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@code BlnkAuth} enforces rate limits and credits: the mode, the store of balances and
 * owner limits, the default owner-wide limit and the lease size. Built once; immutable and
 * thread-safe.
 *
 * <ul>
 *   <li>{@link Mode#LOCAL} (default): each node keeps its own token buckets in memory. No I/O per
 *       request; with N nodes behind a balancer a key may be admitted up to N × its limit.
 *   <li>{@link Mode#CLUSTER}: buckets live in the database through Bucket4j's JDBC integration
 *       ({@link UsageStore#clusterBuckets}), exact across nodes; one database transaction per
 *       limited request (two when an owner limit applies too).
 * </ul>
 *
 * Credits are always exact across nodes (each node leases blocks from the store), whatever the
 * mode.
 */
public final class UsageSettings {

  /** Where rate-limit buckets live. */
  public enum Mode {
    /** In each node's memory: no I/O, N nodes admit up to N × the limit. */
    LOCAL,
    /** In the shared database: exact across nodes, one transaction per limited request. */
    CLUSTER
  }

  private static final UsageSettings DEFAULTS = builder().build();

  private final Mode mode;
  private final Optional<UsageStore> store;
  private final Optional<RateLimit> ownerLimit;
  private final long maxLease;
  private final Duration exhaustedRecheck;

  private UsageSettings(Builder b) {
    this.mode = b.mode;
    this.store = Optional.ofNullable(b.store);
    this.ownerLimit = Optional.ofNullable(b.ownerLimit);
    this.maxLease = b.maxLease;
    this.exhaustedRecheck = b.exhaustedRecheck;
  }

  /**
   * Local buckets, the key store's usage store, no owner limit, leases of at most 100 credits.
   *
   * @return the default settings (shared, immutable)
   */
  public static UsageSettings defaults() {
    return DEFAULTS;
  }

  /**
   * A new builder.
   *
   * @return a builder holding the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where buckets live.
   *
   * @return {@link Mode#LOCAL} or {@link Mode#CLUSTER}
   */
  public Mode mode() {
    return mode;
  }

  /**
   * The store of balances and owner limits; empty to use the key store's (or memory).
   *
   * @return the store given to the builder; empty when none was
   */
  public Optional<UsageStore> store() {
    return store;
  }

  /**
   * The limit for all keys of an owner together, unless the owner has its own.
   *
   * @return the host's default owner limit; empty for none
   */
  public Optional<RateLimit> ownerLimit() {
    return ownerLimit;
  }

  /**
   * The most credits a node leases at once: the most one crashed node can strand per key.
   *
   * @return the largest lease, at least 1
   */
  public long maxLease() {
    return maxLease;
  }

  /**
   * How long a node refuses an exhausted balance before asking the store again.
   *
   * @return the wait before an exhausted balance is read again; not negative
   */
  public Duration exhaustedRecheck() {
    return exhaustedRecheck;
  }

  @Override
  public String toString() {
    return "UsageSettings[mode="
        + mode
        + ", ownerLimit="
        + ownerLimit
        + ", maxLease="
        + maxLease
        + "]";
  }

  /**
   * Configures {@link UsageSettings}. Each option may be set once: a second call throws {@link
   * IllegalStateException} naming it. {@link #build()} copies the options into immutable settings,
   * so the builder may build again and later calls do not change settings already built. Not
   * thread-safe.
   */
  public static final class Builder {
    /** The options set so far, by setter name: each may be set once. */
    private final java.util.Set<String> set = new java.util.HashSet<>();
    private Mode mode = Mode.LOCAL;
    private UsageStore store;
    private RateLimit ownerLimit;
    private long maxLease = 100;
    private Duration exhaustedRecheck = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Where buckets live. Default {@link Mode#LOCAL}.
     *
     * @param mode where buckets live
     * @return this builder
     * @throws NullPointerException if {@code mode} is null
     * @throws IllegalStateException if {@code mode} is already set
     */
    public Builder mode(Mode mode) {
      Objects.requireNonNull(mode, "mode");
      once("mode");
      this.mode = mode;
      return this;
    }

    /**
     * The store of balances and owner limits. Default: the key store's, else memory.
     *
     * @param store the store of balances and owner limits
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     * @throws IllegalStateException if {@code store} is already set
     */
    public Builder store(UsageStore store) {
      Objects.requireNonNull(store, "store");
      once("store");
      this.store = store;
      return this;
    }

    /**
     * The host's default limit on all keys of one owner together. Default none.
     *
     * @param limit the default limit for each owner without its own
     * @return this builder
     * @throws NullPointerException if {@code limit} is null
     * @throws IllegalStateException if {@code ownerLimit} is already set
     */
    public Builder ownerLimit(RateLimit limit) {
      Objects.requireNonNull(limit, "limit");
      once("ownerLimit");
      this.ownerLimit = limit;
      return this;
    }

    /**
     * The most credits a node leases from a balance at once (each lease is also at most 1/16 of
     * what remains). A crashed node strands at most this many per key. Default 100.
     *
     * @param max the most credits per lease
     * @return this builder
     * @throws IllegalArgumentException if {@code max} is below 1
     * @throws IllegalStateException if {@code maxLease} is already set
     */
    public Builder maxLease(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxLease must be at least 1, was " + max);
      }
      once("maxLease");
      this.maxLease = max;
      return this;
    }

    /**
     * How long an exhausted balance is refused without asking the store. Default 1 s.
     *
     * @param wait how long an exhausted balance is refused locally; zero to ask the store every
     *     time
     * @return this builder
     * @throws IllegalArgumentException if {@code wait} is negative
     * @throws NullPointerException if {@code wait} is null
     * @throws IllegalStateException if {@code exhaustedRecheck} is already set
     */
    public Builder exhaustedRecheck(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("exhaustedRecheck must not be negative, was " + wait);
      }
      once("exhaustedRecheck");
      this.exhaustedRecheck = wait;
      return this;
    }

    /**
     * The settings.
     *
     * @return immutable settings holding the values set
     */
    public UsageSettings build() {
      return new UsageSettings(this);
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
  }
}
