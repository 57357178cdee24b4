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
   * at.favre.lib:bcrypt on the class path: the default hasher then verifies bcrypt and rehashes
   * with Argon2id on first use.
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

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public Map<String, String> getPublicKeys() {
      return publicKeys;
    }

    public void setPublicKeys(Map<String, String> publicKeys) {
      this.publicKeys = publicKeys;
    }

    public LeakAction getAction() {
      return action;
    }

    public void setAction(LeakAction action) {
      this.action = action;
    }
  }

  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  public void setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies;
  }

  public String getForwardedHeader() {
    return forwardedHeader;
  }

  public void setForwardedHeader(String forwardedHeader) {
    this.forwardedHeader = forwardedHeader;
  }

  public Duration getMaxKeyLifetime() {
    return maxKeyLifetime;
  }

  public void setMaxKeyLifetime(Duration maxKeyLifetime) {
    this.maxKeyLifetime = maxKeyLifetime;
  }

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

    public Duration getCatchUpInterval() {
      return catchUpInterval;
    }

    public void setCatchUpInterval(Duration catchUpInterval) {
      this.catchUpInterval = catchUpInterval;
    }

    public String getTableName() {
      return tableName;
    }

    public void setTableName(String tableName) {
      this.tableName = tableName;
    }

    public boolean isMigrate() {
      return migrate;
    }

    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    public Duration getPollInterval() {
      return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
    }

    public Duration getStatementTimeout() {
      return statementTimeout;
    }

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

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public long getMaximumSize() {
      return maximumSize;
    }

    public void setMaximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
    }

    public Duration getNegativeTtl() {
      return negativeTtl;
    }

    public void setNegativeTtl(Duration negativeTtl) {
      this.negativeTtl = negativeTtl;
    }

    public Duration getProofTtl() {
      return proofTtl;
    }

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

    public int getMaxFailures() {
      return maxFailures;
    }

    public void setMaxFailures(int maxFailures) {
      this.maxFailures = maxFailures;
    }

    public Duration getWindow() {
      return window;
    }

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

    public double getShare() {
      return share;
    }

    public void setShare(double share) {
      this.share = share;
    }

    public Integer getConcurrency() {
      return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
      this.concurrency = concurrency;
    }

    public Duration getWait() {
      return wait;
    }

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

    public String getMode() {
      return mode;
    }

    public void setMode(String mode) {
      this.mode = mode;
    }

    public String getOwnerLimitName() {
      return ownerLimitName;
    }

    public void setOwnerLimitName(String ownerLimitName) {
      this.ownerLimitName = ownerLimitName;
    }

    public Long getOwnerLimit() {
      return ownerLimit;
    }

    public void setOwnerLimit(Long ownerLimit) {
      this.ownerLimit = ownerLimit;
    }

    public Duration getOwnerLimitPeriod() {
      return ownerLimitPeriod;
    }

    public void setOwnerLimitPeriod(Duration ownerLimitPeriod) {
      this.ownerLimitPeriod = ownerLimitPeriod;
    }

    public long getMaxLease() {
      return maxLease;
    }

    public void setMaxLease(long maxLease) {
      this.maxLease = maxLease;
    }

    public Duration getExhaustedRecheck() {
      return exhaustedRecheck;
    }

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

    public Duration getGrace() {
      return grace;
    }

    public void setGrace(Duration grace) {
      this.grace = grace;
    }

    public Duration getMaxGrace() {
      return maxGrace;
    }

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

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Duration getRetryAfter() {
      return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
      this.retryAfter = retryAfter;
    }

    public int getMaxInFlight() {
      return maxInFlight;
    }

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

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

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

    public List<String> getPublicEndpoints() {
      return publicEndpoints;
    }

    public void setPublicEndpoints(List<String> publicEndpoints) {
      this.publicEndpoints = publicEndpoints;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Boolean getSecure() {
    return secure;
  }

  public void setSecure(Boolean secure) {
    this.secure = secure;
  }

  public String getMasterKey() {
    return masterKey;
  }

  public void setMasterKey(String masterKey) {
    this.masterKey = masterKey;
  }

  public List<String> getPreviousMasterKeys() {
    return previousMasterKeys;
  }

  public void setPreviousMasterKeys(List<String> previousMasterKeys) {
    this.previousMasterKeys = previousMasterKeys;
  }

  public Path getConfigFile() {
    return configFile;
  }

  public void setConfigFile(Path configFile) {
    this.configFile = configFile;
  }

  public boolean isUseBlnkEnvironment() {
    return useBlnkEnvironment;
  }

  public void setUseBlnkEnvironment(boolean useBlnkEnvironment) {
    this.useBlnkEnvironment = useBlnkEnvironment;
  }

  public String getKeyPrefix() {
    return keyPrefix;
  }

  public void setKeyPrefix(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  public List<String> getResources() {
    return resources;
  }

  public void setResources(List<String> resources) {
    this.resources = resources;
  }

  public List<String> getMasterOnlyResources() {
    return masterOnlyResources;
  }

  public void setMasterOnlyResources(List<String> masterOnlyResources) {
    this.masterOnlyResources = masterOnlyResources;
  }

  public Set<String> getPublicPaths() {
    return publicPaths;
  }

  public void setPublicPaths(Set<String> publicPaths) {
    this.publicPaths = publicPaths;
  }

  public String getApiBasePath() {
    return apiBasePath;
  }

  public void setApiBasePath(String apiBasePath) {
    this.apiBasePath = apiBasePath;
  }

  public Map<String, String> getRoutes() {
    return routes;
  }

  public void setRoutes(Map<String, String> routes) {
    this.routes = routes;
  }

  public Map<String, String> getIdRoutes() {
    return idRoutes;
  }

  public void setIdRoutes(Map<String, String> idRoutes) {
    this.idRoutes = idRoutes;
  }

  public Map<String, String> getIdPrefixes() {
    return idPrefixes;
  }

  public void setIdPrefixes(Map<String, String> idPrefixes) {
    this.idPrefixes = idPrefixes;
  }

  public Map<String, List<String>> getTagTargets() {
    return tagTargets;
  }

  public void setTagTargets(Map<String, List<String>> tagTargets) {
    this.tagTargets = tagTargets;
  }

  public DataSize getRefusalDrainBytes() {
    return refusalDrainBytes;
  }

  public void setRefusalDrainBytes(DataSize refusalDrainBytes) {
    this.refusalDrainBytes = refusalDrainBytes;
  }

  public Duration getAggregateRefusals() {
    return aggregateRefusals;
  }

  public void setAggregateRefusals(Duration aggregateRefusals) {
    this.aggregateRefusals = aggregateRefusals;
  }

  public boolean isAcceptBlnkCoreKeys() {
    return acceptBlnkCoreKeys;
  }

  public void setAcceptBlnkCoreKeys(boolean acceptBlnkCoreKeys) {
    this.acceptBlnkCoreKeys = acceptBlnkCoreKeys;
  }

  public DataSize getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public void setMaxBodyBytes(DataSize maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public boolean isAllowNonExpiringKeys() {
    return allowNonExpiringKeys;
  }

  public void setAllowNonExpiringKeys(boolean allowNonExpiringKeys) {
    this.allowNonExpiringKeys = allowNonExpiringKeys;
  }

  public int getFilterOrder() {
    return filterOrder;
  }

  public void setFilterOrder(int filterOrder) {
    this.filterOrder = filterOrder;
  }

  public Duration getLastUsedInterval() {
    return lastUsedInterval;
  }

  public void setLastUsedInterval(Duration lastUsedInterval) {
    this.lastUsedInterval = lastUsedInterval;
  }

  public int getMaxActiveKeysPerOwner() {
    return maxActiveKeysPerOwner;
  }

  public void setMaxActiveKeysPerOwner(int maxActiveKeysPerOwner) {
    this.maxActiveKeysPerOwner = maxActiveKeysPerOwner;
  }

  public Jdbc getJdbc() {
    return jdbc;
  }

  public Cache getCache() {
    return cache;
  }

  public Throttle getThrottle() {
    return throttle;
  }

  public Verification getVerification() {
    return verification;
  }

  public Rotation getRotation() {
    return rotation;
  }

  public Management getManagement() {
    return management;
  }

  public Store getStore() {
    return store;
  }

  public Console getConsole() {
    return console;
  }

  public Usage getUsage() {
    return usage;
  }

  public Map<String, Long> getRequestCosts() {
    return requestCosts;
  }

  public void setRequestCosts(Map<String, Long> requestCosts) {
    this.requestCosts = requestCosts;
  }

  @Override
  public String toString() {
    return "BlnkAuthProperties[enabled=" + enabled + ", secure=" + secure + ", masterKey="
        + (masterKey == null ? "unset" : "(set)") + "]";
  }
}
