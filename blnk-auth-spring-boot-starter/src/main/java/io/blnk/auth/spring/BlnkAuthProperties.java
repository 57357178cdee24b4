package io.blnk.auth.spring;

import io.blnk.auth.LeakAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of blnk-auth under {@code blnk.auth.*}: one property for every setting of {@code
 * BlnkAuth.builder()}, {@code BlnkAuthFilter.builder(auth)} and {@code JdbcKeyStore.builder(ds)}
 * that is a value (the store, hasher, clock, registry and listeners are beans instead).
 *
 * <p>Precedence, highest first: {@code blnk.auth.*} from any Spring property source (command line,
 * {@code BLNK_AUTH_*} environment variables, {@code application.properties}); then Blnk's own
 * {@code BLNK_SERVER_SECURE} and {@code BLNK_SERVER_SECRET_KEY} environment variables; then {@code
 * blnk.json} ({@link #getConfigFile()}); then the defaults. The master key is never printed.
 *
 * <p>A mutable JavaBean, as Spring Boot binds it; read once at start-up. Not thread-safe.
 */
@ConfigurationProperties(prefix = "blnk.auth")
public class BlnkAuthProperties {

  /** Whether the auto-configuration is active at all. */
  private boolean enabled = true;

  /**
   * Secure mode. Unset: taken from BLNK_SERVER_SECURE, then blnk.json, else on. Off lets every
   * request through without a principal and logs a loud warning.
   */
  private Boolean secure;

  /**
   * The master key (Blnk's server.secret_key). Unset: taken from BLNK_SERVER_SECRET_KEY, then
   * blnk.json. In secure mode at least 32 characters with 10 distinct ones; generate one with
   * `openssl rand -base64 48`.
   */
  private String masterKey;

  /** Former master keys still accepted while clients move to the new one (rotation). */
  private List<String> previousMasterKeys = new ArrayList<>();

  /** Path of blnk.json; read when the file exists. Its server.secure and server.secret_key apply. */
  private Path configFile = Path.of("blnk.json");

  /** Whether BLNK_SERVER_SECURE and BLNK_SERVER_SECRET_KEY are honoured. */
  private boolean useBlnkEnvironment = true;

  /** The prefix of issued keys (blnk_...). */
  private String keyPrefix = "blnk";

  /** Resources added to Blnk's default registry, so keys may be scoped to them. */
  private List<String> resources = new ArrayList<>();

  /** Resources only the master key may use (Blnk's default: hooks). */
  private List<String> masterOnlyResources = new ArrayList<>(List.of("hooks"));

  /** Paths that pass without a key, matched exactly inside the context. */
  private Set<String> publicPaths = new LinkedHashSet<>(List.of("/", "/health"));

  /**
   * The root of the API inside the context (e.g. /api). Unset: the DispatcherServlet's path
   * (spring.mvc.servlet.path) when it is not "/".
   */
  private String apiBasePath;

  /** First path segment to resource rules, e.g. mocked-account=accounts; replace defaults. */
  private Map<String, String> routes = new LinkedHashMap<>();

  /** Rules for /{id}/segment paths, e.g. metadata=metadata. */
  private Map<String, String> idRoutes = new LinkedHashMap<>();

  /**
   * Record id prefix to resource, added to (or replacing entries of) Blnk's table, e.g.
   * blnk.auth.id-prefixes.inv_=invoices: /{id}/segment paths are also authorised as the resource
   * of the record {id} names.
   */
  private Map<String, String> idPrefixes = new LinkedHashMap<>();

  /**
   * Where BLNK_GENERATED_BY is written, per route (a path inside the API root, * matching one
   * segment), as JSON pointers (* matching every array element), e.g.
   * blnk.auth.tag-targets[/ledgers]=/meta_data,/extra. Default /meta_data for every route.
   */
  private Map<String, List<String>> tagTargets = new LinkedHashMap<>();

  /** The largest request body, for every request the filter passes on; larger answers 413. */
  private DataSize maxBodyBytes = DataSize.ofMegabytes(5);

  /**
   * How much of a refused request's unread body is read and discarded, so an uploading client
   * sees the answer instead of a reset connection; 0 never reads.
   */
  private DataSize refusalDrainBytes = DataSize.ofMegabytes(64);

  /**
   * How refusals reach the listeners: repeats of one type, code and address within this interval
   * are delivered as one event with a count; 0 delivers every refusal.
   */
  private Duration aggregateRefusals = Duration.ofSeconds(10);

  /**
   * Whether keys issued by Blnk Core (imported rows, bcrypt hashes) are accepted. Needs
   * org.springframework.security:spring-security-crypto on the class path: the default hasher then
   * verifies bcrypt and rehashes with Argon2id on first use.
   */
  private boolean acceptBlnkCoreKeys;

  /** Whether keys may be created without expires_at. */
  private boolean allowNonExpiringKeys;

  /**
   * The servlet filter's order: after the method-override filters (-10000, -9900) and Spring
   * Security's chain (-100), in which the starter decides requests itself when Spring Security is
   * present.
   */
  private int filterOrder = -90; // BlnkAuthAutoConfiguration.DEFAULT_FILTER_ORDER

  private final Jdbc jdbc = new Jdbc();
  private final Cache cache = new Cache();
  private final Throttle throttle = new Throttle();
  private final Verification verification = new Verification();
  private final Rotation rotation = new Rotation();
  private final Management management = new Management();
  private final Store store = new Store();
  private final Console console = new Console();
  private final Usage usage = new Usage();

  /**
   * What a request costs against its key's rate limits and credits, by the first path segment
   * (default 1), e.g. {@code search: 5}.
   */
  private Map<String, Long> requestCosts = new LinkedHashMap<>();

  /** How long a successful authentication's last_used_at may wait; writes are batched. */
  private Duration lastUsedInterval = Duration.ofSeconds(60);

  /** The most active (neither revoked nor expired) keys one owner may hold (409 beyond). */
  private int maxActiveKeysPerOwner = 1_000;

  /**
   * CIDR ranges (IPv4, IPv6) of the proxies whose forwarding header is believed; none: the client
   * address is the socket's.
   */
  private List<String> trustedProxies = new ArrayList<>();

  /** The header the trusted proxies write: X-Forwarded-For or Forwarded (RFC 7239). */
  private String forwardedHeader = "X-Forwarded-For";

  /** The longest a key may live, from creation to expiry; unset: no limit. */
  private Duration maxKeyLifetime;

  private final LeakResponse leakResponse = new LeakResponse();

  /** The GitHub secret scanning partner programme endpoint. */
  public static class LeakResponse {
    /** Whether the leak-report endpoint is served. */
    private boolean enabled;

    /** Where GitHub posts leak reports, inside the context. */
    private String path = "/blnk-auth/secret-scanning";

    /** GitHub's public keys: key identifier to PEM of an EC P-256 public key (never fetched). */
    private Map<String, String> publicKeys = new LinkedHashMap<>();

    /** What a reported key gets: revoke or disable. */
    private LeakAction action = LeakAction.REVOKE;

    /**
     * {@code blnk.auth.leak-response.enabled}: whether the leak-report endpoint is served.
     *
     * @return whether the leak-report endpoint is served
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code blnk.auth.leak-response.enabled}; see {@link #isEnabled()}.
     *
     * @param enabled whether the leak-report endpoint is served
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * {@code blnk.auth.leak-response.path}: where GitHub posts leak reports, inside the context.
     *
     * @return the leak-report endpoint's path inside the context
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets {@code blnk.auth.leak-response.path}; see {@link #getPath()}.
     *
     * @param path the leak-report endpoint's path inside the context
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * {@code blnk.auth.leak-response.public-keys}: GitHub's public keys: key identifier to PEM of
     * an EC P-256 public key (never fetched).
     *
     * @return GitHub's public keys: key identifier to PEM
     */
    public Map<String, String> getPublicKeys() {
      return publicKeys;
    }

    /**
     * Sets {@code blnk.auth.leak-response.public-keys}; see {@link #getPublicKeys()}.
     *
     * @param publicKeys GitHub's public keys: key identifier to PEM
     */
    public void setPublicKeys(Map<String, String> publicKeys) {
      this.publicKeys = publicKeys;
    }

    /**
     * {@code blnk.auth.leak-response.action}: what a reported key gets: revoke or disable.
     *
     * @return what a reported key gets
     */
    public LeakAction getAction() {
      return action;
    }

    /**
     * Sets {@code blnk.auth.leak-response.action}; see {@link #getAction()}.
     *
     * @param action what a reported key gets
     */
    public void setAction(LeakAction action) {
      this.action = action;
    }
  }

  /**
   * {@code blnk.auth.trusted-proxies}: CIDR ranges (IPv4, IPv6) of the proxies whose forwarding
   * header is believed; none: the client address is the socket's.
   *
   * @return the trusted proxies, as CIDR ranges or single addresses
   */
  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  /**
   * Sets {@code blnk.auth.trusted-proxies}; see {@link #getTrustedProxies()}.
   *
   * @param trustedProxies the trusted proxies, as CIDR ranges or single addresses
   */
  public void setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  /**
   * {@code blnk.auth.forwarded-header}: the header the trusted proxies write: X-Forwarded-For or
   * Forwarded (RFC 7239).
   *
   * @return the forwarding header the trusted proxies write
   */
  public String getForwardedHeader() {
    return forwardedHeader;
  }

  /**
   * Sets {@code blnk.auth.forwarded-header}; see {@link #getForwardedHeader()}.
   *
   * @param forwardedHeader the forwarding header the trusted proxies write
   */
  public void setForwardedHeader(String forwardedHeader) {
    this.forwardedHeader = forwardedHeader;
  }

  /**
   * {@code blnk.auth.max-key-lifetime}: the longest a key may live, from creation to expiry; unset:
   * no limit.
   *
   * @return the longest a key may live, or null for no limit
   */
  public Duration getMaxKeyLifetime() {
    return maxKeyLifetime;
  }

  /**
   * Sets {@code blnk.auth.max-key-lifetime}; see {@link #getMaxKeyLifetime()}.
   *
   * @param maxKeyLifetime the longest a key may live, or null for no limit
   */
  public void setMaxKeyLifetime(Duration maxKeyLifetime) {
    this.maxKeyLifetime = maxKeyLifetime;
  }

  /**
   * The {@code blnk.auth.leak-response.*} settings.
   *
   * @return the GitHub secret scanning endpoint's settings; bound in place, never null
   */
  public LeakResponse getLeakResponse() {
    return leakResponse;
  }

  /** The JDBC key store. */
  public static class Jdbc {
    /** The key table, optionally schema-qualified (auth.blnk_api_keys). */
    private String tableName = "blnk_api_keys";

    /** Whether the table is created or upgraded at start-up. */
    private boolean migrate = true;

    /** How often the revocation feed polls on databases without LISTEN/NOTIFY. */
    private Duration pollInterval = Duration.ofSeconds(1);

    /** How long one statement of a request may run before the driver cancels it (whole seconds). */
    private Duration statementTimeout = Duration.ofSeconds(2);

    /**
     * On PostgreSQL (LISTEN mode), how often the change sequence is also read, catching changes
     * whose notification never came (e.g. behind PgBouncer).
     */
    private Duration catchUpInterval = Duration.ofSeconds(5);

    /**
     * {@code blnk.auth.jdbc.catch-up-interval}: on PostgreSQL (LISTEN mode), how often the change
     * sequence is also read, catching changes whose notification never came (e.g. behind
     * PgBouncer).
     *
     * @return the revocation feed's catch-up interval in LISTEN mode
     */
    public Duration getCatchUpInterval() {
      return catchUpInterval;
    }

    /**
     * Sets {@code blnk.auth.jdbc.catch-up-interval}; see {@link #getCatchUpInterval()}.
     *
     * @param catchUpInterval the revocation feed's catch-up interval in LISTEN mode
     */
    public void setCatchUpInterval(Duration catchUpInterval) {
      this.catchUpInterval = catchUpInterval;
    }

    /**
     * {@code blnk.auth.jdbc.table-name}: the key table, optionally schema-qualified
     * (auth.blnk_api_keys).
     *
     * @return the key table's name, optionally schema-qualified
     */
    public String getTableName() {
      return tableName;
    }

    /**
     * Sets {@code blnk.auth.jdbc.table-name}; see {@link #getTableName()}.
     *
     * @param tableName the key table's name, optionally schema-qualified
     */
    public void setTableName(String tableName) {
      this.tableName = tableName;
    }

    /**
     * {@code blnk.auth.jdbc.migrate}: whether the table is created or upgraded at start-up.
     *
     * @return whether the table is created or upgraded at start-up
     */
    public boolean isMigrate() {
      return migrate;
    }

    /**
     * Sets {@code blnk.auth.jdbc.migrate}; see {@link #isMigrate()}.
     *
     * @param migrate whether the table is created or upgraded at start-up
     */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    /**
     * {@code blnk.auth.jdbc.poll-interval}: how often the revocation feed polls on databases
     * without LISTEN/NOTIFY.
     *
     * @return the revocation feed's poll interval
     */
    public Duration getPollInterval() {
      return pollInterval;
    }

    /**
     * Sets {@code blnk.auth.jdbc.poll-interval}; see {@link #getPollInterval()}.
     *
     * @param pollInterval the revocation feed's poll interval
     */
    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    /**
     * {@code blnk.auth.jdbc.statement-timeout}: how long one statement of a request may run before
     * the driver cancels it (whole seconds).
     *
     * @return the longest one statement of a request may run
     */
    public Duration getStatementTimeout() {
      return statementTimeout;
    }

    /**
     * Sets {@code blnk.auth.jdbc.statement-timeout}; see {@link #getStatementTimeout()}.
     *
     * @param statementTimeout the longest one statement of a request may run
     */
    public void setStatementTimeout(Duration statementTimeout) {
      this.statementTimeout = statementTimeout;
    }
  }

  /** The verified-key caches. */
  public static class Cache {
    /** How long a key's record is trusted without asking the store. */
    private Duration ttl = Duration.ofSeconds(60);

    /** How many verified keys are cached at most. */
    private long maximumSize = 100_000;

    /** How long an unknown lookup id is answered without a query. */
    private Duration negativeTtl = Duration.ofSeconds(10);

    /** How long the proof that a presented key passed its hash is kept without use. */
    private Duration proofTtl = Duration.ofHours(24);

    /**
     * {@code blnk.auth.cache.ttl}: how long a key's record is trusted without asking the store.
     *
     * @return how long a key's record is trusted without asking the store
     */
    public Duration getTtl() {
      return ttl;
    }

    /**
     * Sets {@code blnk.auth.cache.ttl}; see {@link #getTtl()}.
     *
     * @param ttl how long a key's record is trusted without asking the store
     */
    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    /**
     * {@code blnk.auth.cache.maximum-size}: how many verified keys are cached at most.
     *
     * @return the most verified keys cached
     */
    public long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets {@code blnk.auth.cache.maximum-size}; see {@link #getMaximumSize()}.
     *
     * @param maximumSize the most verified keys cached
     */
    public void setMaximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /**
     * {@code blnk.auth.cache.negative-ttl}: how long an unknown lookup id is answered without a
     * query.
     *
     * @return how long an unknown lookup id is answered without a query
     */
    public Duration getNegativeTtl() {
      return negativeTtl;
    }

    /**
     * Sets {@code blnk.auth.cache.negative-ttl}; see {@link #getNegativeTtl()}.
     *
     * @param negativeTtl how long an unknown lookup id is answered without a query
     */
    public void setNegativeTtl(Duration negativeTtl) {
      this.negativeTtl = negativeTtl;
    }

    /**
     * {@code blnk.auth.cache.proof-ttl}: how long the proof that a presented key passed its hash is
     * kept without use.
     *
     * @return how long an unused proof of a verified secret is kept
     */
    public Duration getProofTtl() {
      return proofTtl;
    }

    /**
     * Sets {@code blnk.auth.cache.proof-ttl}; see {@link #getProofTtl()}.
     *
     * @param proofTtl how long an unused proof of a verified secret is kept
     */
    public void setProofTtl(Duration proofTtl) {
      this.proofTtl = proofTtl;
    }
  }

  /** Throttling of wrong secrets for one lookup id. */
  public static class Throttle {
    /** Wrong secrets for one lookup id before further attempts are refused (429). */
    private int maxFailures = 10;

    /** The window in which failures are counted. */
    private Duration window = Duration.ofMinutes(1);

    /**
     * {@code blnk.auth.throttle.max-failures}: wrong secrets for one lookup id before further
     * attempts are refused (429).
     *
     * @return the wrong secrets allowed for one lookup id within the window
     */
    public int getMaxFailures() {
      return maxFailures;
    }

    /**
     * Sets {@code blnk.auth.throttle.max-failures}; see {@link #getMaxFailures()}.
     *
     * @param maxFailures the wrong secrets allowed for one lookup id within the window
     */
    public void setMaxFailures(int maxFailures) {
      this.maxFailures = maxFailures;
    }

    /**
     * {@code blnk.auth.throttle.window}: the window in which failures are counted.
     *
     * @return the window in which failures are counted
     */
    public Duration getWindow() {
      return window;
    }

    /**
     * Sets {@code blnk.auth.throttle.window}; see {@link #getWindow()}.
     *
     * @param window the window in which failures are counted
     */
    public void setWindow(Duration window) {
      this.window = window;
    }
  }

  /** Bounded concurrency of hash verifications. */
  public static class Verification {
    /** How many hash verifications may run at once (unset: the processors, at least 2). */
    private Integer concurrency;

    /** How long a request waits for a verification turn before a 429. */
    private Duration wait = Duration.ofSeconds(2);

    /**
     * The share of the verification permits one client address, or the keys of one owner, may
     * hold or wait for, in (0, 1]; 1 turns these budgets off.
     */
    private double share = 0.5;

    /**
     * {@code blnk.auth.verification.share}: the share of the verification permits one client
     * address, or the keys of one owner, may hold or wait for, in (0, 1]; 1 turns these budgets
     * off.
     *
     * @return the share of the verification permits one client address or owner may take, in (0, 1]
     */
    public double getShare() {
      return share;
    }

    /**
     * Sets {@code blnk.auth.verification.share}; see {@link #getShare()}.
     *
     * @param share the share of the verification permits one client address or owner may take, in
     *     (0, 1]
     */
    public void setShare(double share) {
      this.share = share;
    }

    /**
     * {@code blnk.auth.verification.concurrency}: how many hash verifications may run at once
     * (unset: the processors, at least 2).
     *
     * @return the most hash verifications at once, or null for the default
     */
    public Integer getConcurrency() {
      return concurrency;
    }

    /**
     * Sets {@code blnk.auth.verification.concurrency}; see {@link #getConcurrency()}.
     *
     * @param concurrency the most hash verifications at once, or null for the default
     */
    public void setConcurrency(Integer concurrency) {
      this.concurrency = concurrency;
    }

    /**
     * {@code blnk.auth.verification.wait}: how long a request waits for a verification turn before
     * a 429.
     *
     * @return how long a request waits for a verification turn
     */
    public Duration getWait() {
      return wait;
    }

    /**
     * Sets {@code blnk.auth.verification.wait}; see {@link #getWait()}.
     *
     * @param wait how long a request waits for a verification turn
     */
    public void setWait(Duration wait) {
      this.wait = wait;
    }
  }

  /** Rate limits and usage credits (issue 13). */
  public static class Usage {
    /**
     * Where rate-limit buckets live: "local" (each node's memory, no I/O; N nodes admit up to N
     * times a limit) or "cluster" (the key store's database through Bucket4j, exact across nodes,
     * one transaction per limited request). Credits are exact across nodes in both modes.
     */
    private String mode = "local";

    /** The name of the default limit on all keys of one owner together ("owner"). */
    private String ownerLimitName = "owner";

    /** The default limit on all keys of one owner together; unset for none. */
    private Long ownerLimit;

    /** The period of the owner limit (1 s to 1 day). */
    private Duration ownerLimitPeriod = Duration.ofMinutes(1);

    /** The most credits a node leases at once: the most a crashed node can strand per key. */
    private long maxLease = 100;

    /** How long a node refuses an exhausted balance before asking the store again. */
    private Duration exhaustedRecheck = Duration.ofSeconds(1);

    /**
     * {@code blnk.auth.usage.mode}: where rate-limit buckets live: "local" (each node's memory, no
     * I/O; N nodes admit up to N times a limit) or "cluster" (the key store's database through
     * Bucket4j, exact across nodes, one transaction per limited request). Credits are exact across
     * nodes in both modes.
     *
     * @return where rate-limit buckets live: local or cluster
     */
    public String getMode() {
      return mode;
    }

    /**
     * Sets {@code blnk.auth.usage.mode}; see {@link #getMode()}.
     *
     * @param mode where rate-limit buckets live: local or cluster
     */
    public void setMode(String mode) {
      this.mode = mode;
    }

    /**
     * {@code blnk.auth.usage.owner-limit-name}: the name of the default limit on all keys of one
     * owner together ("owner").
     *
     * @return the name of the owner-wide limit
     */
    public String getOwnerLimitName() {
      return ownerLimitName;
    }

    /**
     * Sets {@code blnk.auth.usage.owner-limit-name}; see {@link #getOwnerLimitName()}.
     *
     * @param ownerLimitName the name of the owner-wide limit
     */
    public void setOwnerLimitName(String ownerLimitName) {
      this.ownerLimitName = ownerLimitName;
    }

    /**
     * {@code blnk.auth.usage.owner-limit}: the default limit on all keys of one owner together;
     * unset for none.
     *
     * @return the owner-wide limit, or null for none
     */
    public Long getOwnerLimit() {
      return ownerLimit;
    }

    /**
     * Sets {@code blnk.auth.usage.owner-limit}; see {@link #getOwnerLimit()}.
     *
     * @param ownerLimit the owner-wide limit, or null for none
     */
    public void setOwnerLimit(Long ownerLimit) {
      this.ownerLimit = ownerLimit;
    }

    /**
     * {@code blnk.auth.usage.owner-limit-period}: the period of the owner limit (1 s to 1 day).
     *
     * @return the period of the owner-wide limit
     */
    public Duration getOwnerLimitPeriod() {
      return ownerLimitPeriod;
    }

    /**
     * Sets {@code blnk.auth.usage.owner-limit-period}; see {@link #getOwnerLimitPeriod()}.
     *
     * @param ownerLimitPeriod the period of the owner-wide limit
     */
    public void setOwnerLimitPeriod(Duration ownerLimitPeriod) {
      this.ownerLimitPeriod = ownerLimitPeriod;
    }

    /**
     * {@code blnk.auth.usage.max-lease}: the most credits a node leases at once: the most a crashed
     * node can strand per key.
     *
     * @return the most credits a node leases at once
     */
    public long getMaxLease() {
      return maxLease;
    }

    /**
     * Sets {@code blnk.auth.usage.max-lease}; see {@link #getMaxLease()}.
     *
     * @param maxLease the most credits a node leases at once
     */
    public void setMaxLease(long maxLease) {
      this.maxLease = maxLease;
    }

    /**
     * {@code blnk.auth.usage.exhausted-recheck}: how long a node refuses an exhausted balance
     * before asking the store again.
     *
     * @return how long an exhausted balance is refused before the store is asked again
     */
    public Duration getExhaustedRecheck() {
      return exhaustedRecheck;
    }

    /**
     * Sets {@code blnk.auth.usage.exhausted-recheck}; see {@link #getExhaustedRecheck()}.
     *
     * @param exhaustedRecheck how long an exhausted balance is refused before the store is asked
     *     again
     */
    public void setExhaustedRecheck(Duration exhaustedRecheck) {
      this.exhaustedRecheck = exhaustedRecheck;
    }
  }

  /** Key rotation. */
  public static class Rotation {
    /** How long a rotated key keeps working by default. */
    private Duration grace = Duration.ofHours(24);

    /** The longest grace a caller may ask for. */
    private Duration maxGrace = Duration.ofDays(7);

    /**
     * {@code blnk.auth.rotation.grace}: how long a rotated key keeps working by default.
     *
     * @return how long a rotated key keeps working by default
     */
    public Duration getGrace() {
      return grace;
    }

    /**
     * Sets {@code blnk.auth.rotation.grace}; see {@link #getGrace()}.
     *
     * @param grace how long a rotated key keeps working by default
     */
    public void setGrace(Duration grace) {
      this.grace = grace;
    }

    /**
     * {@code blnk.auth.rotation.max-grace}: the longest grace a caller may ask for.
     *
     * @return the longest grace a caller may ask for
     */
    public Duration getMaxGrace() {
      return maxGrace;
    }

    /**
     * Sets {@code blnk.auth.rotation.max-grace}; see {@link #getMaxGrace()}.
     *
     * @param maxGrace the longest grace a caller may ask for
     */
    public void setMaxGrace(Duration maxGrace) {
      this.maxGrace = maxGrace;
    }
  }

  /** How request threads wait for the key store (deadline and circuit). */
  public static class Store {
    /** The deadline of each store call made for a request, waiting for a connection included. */
    private Duration timeout = Duration.ofSeconds(2);

    /**
     * After a store call fails or times out, how long uncached keys are refused at once (503
     * AUTH_STORE_UNAVAILABLE with Retry-After) before a probe call tests the store again.
     */
    private Duration retryAfter = Duration.ofSeconds(2);

    /** The most store calls running at once, abandoned ones included. */
    private int maxInFlight = 64;

    /**
     * {@code blnk.auth.store.timeout}: the deadline of each store call made for a request, waiting
     * for a connection included.
     *
     * @return the deadline of each store call made for a request
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets {@code blnk.auth.store.timeout}; see {@link #getTimeout()}.
     *
     * @param timeout the deadline of each store call made for a request
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * {@code blnk.auth.store.retry-after}: after a store call fails or times out, how long uncached
     * keys are refused at once (503 AUTH_STORE_UNAVAILABLE with Retry-After) before a probe call
     * tests the store again.
     *
     * @return how long uncached keys are refused after a store call failed
     */
    public Duration getRetryAfter() {
      return retryAfter;
    }

    /**
     * Sets {@code blnk.auth.store.retry-after}; see {@link #getRetryAfter()}.
     *
     * @param retryAfter how long uncached keys are refused after a store call failed
     */
    public void setRetryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
    }

    /**
     * {@code blnk.auth.store.max-in-flight}: the most store calls running at once, abandoned ones
     * included.
     *
     * @return the most store calls running at once
     */
    public int getMaxInFlight() {
      return maxInFlight;
    }

    /**
     * Sets {@code blnk.auth.store.max-in-flight}; see {@link #getMaxInFlight()}.
     *
     * @param maxInFlight the most store calls running at once
     */
    public void setMaxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
    }
  }

  /** The key-management console served by the filter. */
  public static class Console {
    /** Whether the console page is served (GET and HEAD, without a key). */
    private boolean enabled;

    /** Where the console is served, inside the context. */
    private String path = "/blnk-auth/console";

    /**
     * {@code blnk.auth.console.enabled}: whether the console page is served (GET and HEAD, without
     * a key).
     *
     * @return whether the console is served
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code blnk.auth.console.enabled}; see {@link #isEnabled()}.
     *
     * @param enabled whether the console is served
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * {@code blnk.auth.console.path}: where the console is served, inside the context.
     *
     * @return the console's path inside the context
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets {@code blnk.auth.console.path}; see {@link #getPath()}.
     *
     * @param path the console's path inside the context
     */
    public void setPath(String path) {
      this.path = path;
    }
  }

  /** Spring Boot Actuator's endpoints behind the filter (same port as the application). */
  public static class Management {
    /**
     * Actuator endpoints reachable without a key (the endpoint and everything below it); all
     * others need the master key.
     */
    private List<String> publicEndpoints = new ArrayList<>(List.of("health"));

    /**
     * {@code blnk.auth.management.public-endpoints}: actuator endpoints reachable without a key
     * (the endpoint and everything below it); all others need the master key.
     *
     * @return the Actuator endpoints reachable without a key
     */
    public List<String> getPublicEndpoints() {
      return publicEndpoints;
    }

    /**
     * Sets {@code blnk.auth.management.public-endpoints}; see {@link #getPublicEndpoints()}.
     *
     * @param publicEndpoints the Actuator endpoints reachable without a key
     */
    public void setPublicEndpoints(List<String> publicEndpoints) {
      this.publicEndpoints = publicEndpoints;
    }
  }

  /**
   * {@code blnk.auth.enabled}: whether the auto-configuration is active at all.
   *
   * @return whether the auto-configuration is active
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets {@code blnk.auth.enabled}; see {@link #isEnabled()}.
   *
   * @param enabled whether the auto-configuration is active
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * {@code blnk.auth.secure}: secure mode. Unset: taken from BLNK_SERVER_SECURE, then blnk.json,
   * else on. Off lets every request through without a principal and logs a loud warning.
   *
   * @return secure mode, or null when unset (then the Blnk environment, then blnk.json, decide)
   */
  public Boolean getSecure() {
    return secure;
  }

  /**
   * Sets {@code blnk.auth.secure}; see {@link #getSecure()}.
   *
   * @param secure secure mode, or null when unset (then the Blnk environment, then blnk.json,
   *     decide)
   */
  public void setSecure(Boolean secure) {
    this.secure = secure;
  }

  /**
   * {@code blnk.auth.master-key}: the master key (Blnk's server.secret_key). Unset: taken from
   * BLNK_SERVER_SECRET_KEY, then blnk.json. In secure mode at least 32 characters with 10 distinct
   * ones; generate one with {@code openssl rand -base64 48}.

   *
   * @return the master key, or null when unset
   */
  public String getMasterKey() {
    return masterKey;
  }

  /**
   * Sets {@code blnk.auth.master-key}; see {@link #getMasterKey()}.
   *
   * @param masterKey the master key, or null when unset
   */
  public void setMasterKey(String masterKey) {
    this.masterKey = masterKey;
  }

  /**
   * {@code blnk.auth.previous-master-keys}: former master keys still accepted while clients move to
   * the new one (rotation).
   *
   * @return the former master keys still accepted
   */
  public List<String> getPreviousMasterKeys() {
    return previousMasterKeys;
  }

  /**
   * Sets {@code blnk.auth.previous-master-keys}; see {@link #getPreviousMasterKeys()}.
   *
   * @param previousMasterKeys the former master keys still accepted
   */
  public void setPreviousMasterKeys(List<String> previousMasterKeys) {
    this.previousMasterKeys = previousMasterKeys;
  }

  /**
   * {@code blnk.auth.config-file}: path of blnk.json; read when the file exists. Its server.secure
   * and server.secret_key apply.
   *
   * @return the path of blnk.json
   */
  public Path getConfigFile() {
    return configFile;
  }

  /**
   * Sets {@code blnk.auth.config-file}; see {@link #getConfigFile()}.
   *
   * @param configFile the path of blnk.json
   */
  public void setConfigFile(Path configFile) {
    this.configFile = configFile;
  }

  /**
   * {@code blnk.auth.use-blnk-environment}: whether BLNK_SERVER_SECURE and BLNK_SERVER_SECRET_KEY
   * are honoured.
   *
   * @return whether Blnk's own environment variables are honoured
   */
  public boolean isUseBlnkEnvironment() {
    return useBlnkEnvironment;
  }

  /**
   * Sets {@code blnk.auth.use-blnk-environment}; see {@link #isUseBlnkEnvironment()}.
   *
   * @param useBlnkEnvironment whether Blnk's own environment variables are honoured
   */
  public void setUseBlnkEnvironment(boolean useBlnkEnvironment) {
    this.useBlnkEnvironment = useBlnkEnvironment;
  }

  /**
   * {@code blnk.auth.key-prefix}: the prefix of issued keys (blnk_...).
   *
   * @return the prefix of issued keys
   */
  public String getKeyPrefix() {
    return keyPrefix;
  }

  /**
   * Sets {@code blnk.auth.key-prefix}; see {@link #getKeyPrefix()}.
   *
   * @param keyPrefix the prefix of issued keys
   */
  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /**
   * {@code blnk.auth.resources}: resources added to Blnk's default registry, so keys may be scoped
   * to them.
   *
   * @return the resources added to Blnk's default registry
   */
  public List<String> getResources() {
    return resources;
  }

  /**
   * Sets {@code blnk.auth.resources}; see {@link #getResources()}.
   *
   * @param resources the resources added to Blnk's default registry
   */
  public void setResources(List<String> resources) {
    this.resources = resources;
  }

  /**
   * {@code blnk.auth.master-only-resources}: resources only the master key may use (Blnk's default:
   * hooks).
   *
   * @return the resources only the master key may use
   */
  public List<String> getMasterOnlyResources() {
    return masterOnlyResources;
  }

  /**
   * Sets {@code blnk.auth.master-only-resources}; see {@link #getMasterOnlyResources()}.
   *
   * @param masterOnlyResources the resources only the master key may use
   */
  public void setMasterOnlyResources(List<String> masterOnlyResources) {
    this.masterOnlyResources = masterOnlyResources;
  }

  /**
   * {@code blnk.auth.public-paths}: paths that pass without a key, matched exactly inside the
   * context.
   *
   * @return the paths that pass without a key
   */
  public Set<String> getPublicPaths() {
    return publicPaths;
  }

  /**
   * Sets {@code blnk.auth.public-paths}; see {@link #getPublicPaths()}.
   *
   * @param publicPaths the paths that pass without a key
   */
  public void setPublicPaths(Set<String> publicPaths) {
    this.publicPaths = publicPaths;
  }

  /**
   * {@code blnk.auth.api-base-path}: the root of the API inside the context (e.g. /api). Unset: the
   * DispatcherServlet's path (spring.mvc.servlet.path) when it is not "/".
   *
   * @return the API root inside the context, or null to follow the DispatcherServlet's path
   */
  public String getApiBasePath() {
    return apiBasePath;
  }

  /**
   * Sets {@code blnk.auth.api-base-path}; see {@link #getApiBasePath()}.
   *
   * @param apiBasePath the API root inside the context, or null to follow the DispatcherServlet's
   *     path
   */
  public void setApiBasePath(String apiBasePath) {
    this.apiBasePath = apiBasePath;
  }

  /**
   * {@code blnk.auth.routes}: first path segment to resource rules, e.g. mocked-account=accounts;
   * replace defaults.
   *
   * @return first path segment to resource name
   */
  public Map<String, String> getRoutes() {
    return routes;
  }

  /**
   * Sets {@code blnk.auth.routes}; see {@link #getRoutes()}.
   *
   * @param routes first path segment to resource name
   */
  public void setRoutes(Map<String, String> routes) {
    this.routes = routes;
  }

  /**
   * {@code blnk.auth.id-routes}: rules for /{id}/segment paths, e.g. metadata=metadata.
   *
   * @return second path segment (after a record id) to resource name
   */
  public Map<String, String> getIdRoutes() {
    return idRoutes;
  }

  /**
   * Sets {@code blnk.auth.id-routes}; see {@link #getIdRoutes()}.
   *
   * @param idRoutes second path segment (after a record id) to resource name
   */
  public void setIdRoutes(Map<String, String> idRoutes) {
    this.idRoutes = idRoutes;
  }

  /**
   * {@code blnk.auth.id-prefixes}: record id prefix to resource, added to (or replacing entries of)
   * Blnk's table, e.g. blnk.auth.id-prefixes.inv_=invoices: /{id}/segment paths are also authorised
   * as the resource of the record {id} names.
   *
   * @return record id prefix to resource name
   */
  public Map<String, String> getIdPrefixes() {
    return idPrefixes;
  }

  /**
   * Sets {@code blnk.auth.id-prefixes}; see {@link #getIdPrefixes()}.
   *
   * @param idPrefixes record id prefix to resource name
   */
  public void setIdPrefixes(Map<String, String> idPrefixes) {
    this.idPrefixes = idPrefixes;
  }

  /**
   * {@code blnk.auth.tag-targets}: where BLNK_GENERATED_BY is written, per route (a path inside the
   * API root, * matching one segment), as JSON pointers (* matching every array element), e.g.
   * blnk.auth.tag-targets[/ledgers]=/meta_data,/extra. Default /meta_data for every route.
   *
   * @return route to the JSON pointers where BLNK_GENERATED_BY is written
   */
  public Map<String, List<String>> getTagTargets() {
    return tagTargets;
  }

  /**
   * Sets {@code blnk.auth.tag-targets}; see {@link #getTagTargets()}.
   *
   * @param tagTargets route to the JSON pointers where BLNK_GENERATED_BY is written
   */
  public void setTagTargets(Map<String, List<String>> tagTargets) {
    this.tagTargets = tagTargets;
  }

  /**
   * {@code blnk.auth.refusal-drain-bytes}: how much of a refused request's unread body is read and
   * discarded, so an uploading client sees the answer instead of a reset connection; 0 never reads.
   *
   * @return how much of a refused request's unread body is drained, zero for none
   */
  public DataSize getRefusalDrainBytes() {
    return refusalDrainBytes;
  }

  /**
   * Sets {@code blnk.auth.refusal-drain-bytes}; see {@link #getRefusalDrainBytes()}.
   *
   * @param refusalDrainBytes how much of a refused request's unread body is drained, zero for none
   */
  public void setRefusalDrainBytes(DataSize refusalDrainBytes) {
    this.refusalDrainBytes = refusalDrainBytes;
  }

  /**
   * {@code blnk.auth.aggregate-refusals}: how refusals reach the listeners: repeats of one type,
   * code and address within this interval are delivered as one event with a count; 0 delivers every
   * refusal.
   *
   * @return the interval in which repeated refusals become one event, zero for none
   */
  public Duration getAggregateRefusals() {
    return aggregateRefusals;
  }

  /**
   * Sets {@code blnk.auth.aggregate-refusals}; see {@link #getAggregateRefusals()}.
   *
   * @param aggregateRefusals the interval in which repeated refusals become one event, zero for
   *     none
   */
  public void setAggregateRefusals(Duration aggregateRefusals) {
    this.aggregateRefusals = aggregateRefusals;
  }

  /**
   * {@code blnk.auth.accept-blnk-core-keys}: whether keys issued by Blnk Core (imported rows,
   * bcrypt hashes) are accepted. Needs spring-security-crypto on the class path: the default hasher
   * then verifies bcrypt and rehashes with Argon2id on first use.
   *
   * @return whether keys issued by Blnk Core are accepted
   */
  public boolean isAcceptBlnkCoreKeys() {
    return acceptBlnkCoreKeys;
  }

  /**
   * Sets {@code blnk.auth.accept-blnk-core-keys}; see {@link #isAcceptBlnkCoreKeys()}.
   *
   * @param acceptBlnkCoreKeys whether keys issued by Blnk Core are accepted
   */
  public void setAcceptBlnkCoreKeys(boolean acceptBlnkCoreKeys) {
    this.acceptBlnkCoreKeys = acceptBlnkCoreKeys;
  }

  /**
   * {@code blnk.auth.max-body-bytes}: the largest request body, for every request the filter passes
   * on; larger answers 413.
   *
   * @return the largest request body
   */
  public DataSize getMaxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Sets {@code blnk.auth.max-body-bytes}; see {@link #getMaxBodyBytes()}.
   *
   * @param maxBodyBytes the largest request body
   */
  public void setMaxBodyBytes(DataSize maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * {@code blnk.auth.allow-non-expiring-keys}: whether keys may be created without expires_at.
   *
   * @return whether keys may be created without expires_at
   */
  public boolean isAllowNonExpiringKeys() {
    return allowNonExpiringKeys;
  }

  /**
   * Sets {@code blnk.auth.allow-non-expiring-keys}; see {@link #isAllowNonExpiringKeys()}.
   *
   * @param allowNonExpiringKeys whether keys may be created without expires_at
   */
  public void setAllowNonExpiringKeys(boolean allowNonExpiringKeys) {
    this.allowNonExpiringKeys = allowNonExpiringKeys;
  }

  /**
   * {@code blnk.auth.filter-order}: the servlet filter's order: after the method-override filters
   * (-10000, -9900) and Spring Security's chain (-100), in which the starter decides requests
   * itself when Spring Security is present.
   *
   * @return the servlet filter's order
   */
  public int getFilterOrder() {
    return filterOrder;
  }

  /**
   * Sets {@code blnk.auth.filter-order}; see {@link #getFilterOrder()}.
   *
   * @param filterOrder the servlet filter's order
   */
  public void setFilterOrder(int filterOrder) {
    this.filterOrder = filterOrder;
  }

  /**
   * {@code blnk.auth.last-used-interval}: how long a successful authentication's last_used_at may
   * wait; writes are batched.
   *
   * @return how long a last_used_at write may wait
   */
  public Duration getLastUsedInterval() {
    return lastUsedInterval;
  }

  /**
   * Sets {@code blnk.auth.last-used-interval}; see {@link #getLastUsedInterval()}.
   *
   * @param lastUsedInterval how long a last_used_at write may wait
   */
  public void setLastUsedInterval(Duration lastUsedInterval) {
    this.lastUsedInterval = lastUsedInterval;
  }

  /**
   * {@code blnk.auth.max-active-keys-per-owner}: the most active (neither revoked nor expired) keys
   * one owner may hold (409 beyond).
   *
   * @return the most active keys one owner may hold
   */
  public int getMaxActiveKeysPerOwner() {
    return maxActiveKeysPerOwner;
  }

  /**
   * Sets {@code blnk.auth.max-active-keys-per-owner}; see {@link #getMaxActiveKeysPerOwner()}.
   *
   * @param maxActiveKeysPerOwner the most active keys one owner may hold
   */
  public void setMaxActiveKeysPerOwner(int maxActiveKeysPerOwner) {
    this.maxActiveKeysPerOwner = maxActiveKeysPerOwner;
  }

  /**
   * The {@code blnk.auth.jdbc.*} settings.
   *
   * @return the JDBC key store's settings; bound in place, never null
   */
  public Jdbc getJdbc() {
    return jdbc;
  }

  /**
   * The {@code blnk.auth.cache.*} settings.
   *
   * @return the verified-key caches' settings; bound in place, never null
   */
  public Cache getCache() {
    return cache;
  }

  /**
   * The {@code blnk.auth.throttle.*} settings.
   *
   * @return the settings of the throttling of wrong secrets; bound in place, never null
   */
  public Throttle getThrottle() {
    return throttle;
  }

  /**
   * The {@code blnk.auth.verification.*} settings.
   *
   * @return the settings bounding concurrent hash verifications; bound in place, never null
   */
  public Verification getVerification() {
    return verification;
  }

  /**
   * The {@code blnk.auth.rotation.*} settings.
   *
   * @return the key rotation settings; bound in place, never null
   */
  public Rotation getRotation() {
    return rotation;
  }

  /**
   * The {@code blnk.auth.management.*} settings.
   *
   * @return the settings of Actuator's endpoints behind the filter; bound in place, never null
   */
  public Management getManagement() {
    return management;
  }

  /**
   * The {@code blnk.auth.store.*} settings.
   *
   * @return the settings of how request threads wait for the key store; bound in place, never null
   */
  public Store getStore() {
    return store;
  }

  /**
   * The {@code blnk.auth.console.*} settings.
   *
   * @return the key-management console's settings; bound in place, never null
   */
  public Console getConsole() {
    return console;
  }

  /**
   * The {@code blnk.auth.usage.*} settings.
   *
   * @return the rate-limit and usage-credit settings; bound in place, never null
   */
  public Usage getUsage() {
    return usage;
  }

  /**
   * {@code blnk.auth.request-costs}: what a request costs against its key's rate limits and
   * credits, by the first path segment (default 1), e.g. {@code search: 5}.
   *
   * @return first path segment to what one request costs
   */
  public Map<String, Long> getRequestCosts() {
    return requestCosts;
  }

  /**
   * Sets {@code blnk.auth.request-costs}; see {@link #getRequestCosts()}.
   *
   * @param requestCosts first path segment to what one request costs
   */
  public void setRequestCosts(Map<String, Long> requestCosts) {
    this.requestCosts = requestCosts;
  }

  @Override
  public String toString() {
    return "BlnkAuthProperties[enabled=" + enabled + ", secure=" + secure + ", masterKey="
        + (masterKey == null ? "unset" : "(set)") + "]";
  }
}
