package io.blnk.auth.jdbc;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.IpAllowList;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.CascadeResult;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RevokeResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import io.blnk.auth.store.UpdateResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A {@link KeyStore} on any {@link DataSource}: PostgreSQL, MariaDB/MySQL or H2.
 *
 * <pre>{@code
 * KeyStore store = JdbcKeyStore.builder(dataSource)
 *     .tableName("auth.blnk_api_keys")   // default blnk_api_keys
 *     .build();                          // runs the migrations first
 * }</pre>
 *
 * <p>Every write is one transaction, so a failed write leaves nothing behind. All values go
 * through parameters; the only identifier in SQL text is the validated table name. Every {@link
 * SQLException} is reported as a {@link StoreUnavailableException} whose message holds no key
 * data; expected outcomes (a duplicate id, an owner at its limit, a revoked key that cannot be
 * rotated) are result values. Request statements carry a {@linkplain Builder#statementTimeout
 * statement timeout}.
 *
 * <p>The revocation feed ({@link #subscribe}) runs on one daemon thread per store, started by the
 * first subscription, holding one connection from the data source. Every revoke and rotate stamps
 * its row with the next value of a change sequence; the feed delivers the rows changed since the
 * last sequence it saw. On PostgreSQL it also {@code LISTEN}s for the notification every change
 * sends inside its transaction, so other nodes hear within milliseconds, and catches up from the
 * sequence every {@linkplain Builder#catchUpInterval catch-up interval} (a safety net, e.g. behind
 * PgBouncer in transaction mode); elsewhere (or when the connection cannot be unwrapped to the
 * PostgreSQL driver's) it polls every {@linkplain Builder#pollInterval poll interval}. After a
 * reconnect it catches up from the sequence, delivering what changed meanwhile; only a sequence
 * that went backwards makes it tell listeners that changes may have been missed.
 *
 * <p>Thread-safe. {@link #close()} stops the feed and closes its connection; the data source
 * belongs to the host and stays open.
 */
public final class JdbcKeyStore implements KeyStore {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "blnk_api_keys";

  private static final Comparator<ApiKey> NEWEST_FIRST =
      Comparator.comparing(ApiKey::createdAt).thenComparing(k -> k.id().value()).reversed();
  private static final int MAX_ATTEMPTS = 3;
  private static final Duration FIRST_CONNECT_WAIT = Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Statements sql;
  private final JdbcUsageStore usage;
  private final Timestamps time;
  private final Duration pollInterval;
  private final Duration catchUpInterval;
  private final int statementTimeoutSeconds;
  private final boolean notify;
  private final List<KeyChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Object feedLock = new Object();
  private Feed feed; // guarded by feedLock
  private boolean closed; // guarded by feedLock

  private final Settings settings;

  private JdbcKeyStore(Settings s) {
    this.settings = s;
    this.dataSource = s.dataSource();
    this.dialect = s.dialect().orElseGet(() -> Dialect.detect(s.dataSource()));
    this.sql = new Statements(s.table());
    this.time = new Timestamps(dialect);
    this.pollInterval = s.pollInterval();
    this.catchUpInterval = s.catchUpInterval();
    this.statementTimeoutSeconds = (int) Math.max(1, (s.statementTimeout().toMillis() + 999) / 1000);
    this.notify = dialect == Dialect.POSTGRESQL && postgresDriverPresent();
    this.usage = new JdbcUsageStore(s.dataSource(), dialect, s.table(), statementTimeoutSeconds);
    if (s.migrate()) {
      Migrations.migrate(dataSource, dialect, s.table(), Migrations.Set.KEYS);
    }
  }

  /**
   * What a {@link Builder} held at {@link Builder#build()}, defaults included: the built store
   * reads only this. An empty dialect means the database is asked.
   */
  record Settings(
      DataSource dataSource,
      TableName table,
      Duration pollInterval,
      Duration catchUpInterval,
      Duration statementTimeout,
      boolean migrate,
      Optional<Dialect> dialect) {}

  /** The settings this store was built with (for tests). */
  Settings settings() {
    return settings;
  }

  /**
   * A builder for a store on {@code dataSource}.
   *
   * @param dataSource the host's data source; the store borrows connections from it and never
   *     closes it
   * @return a new builder with the defaults
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Creates or upgrades the key table by hand (what {@link Builder#build()} does unless {@code
   * migrate(false)}). Safe to run again, and from several nodes at once.
   *
   * @param dataSource the database to migrate; it stays open
   * @param tableName the key table, e.g. {@code blnk_api_keys} or {@code auth.blnk_api_keys}
   * @return the schema version now recorded
   * @throws NullPointerException if {@code dataSource} is null
   * @throws IllegalArgumentException if the table name is invalid or the database unsupported
   * @throws IllegalStateException if the database records a newer schema version than this
   *     library knows
   * @throws StoreUnavailableException if the database failed
   */
  public static int migrate(DataSource dataSource, String tableName) {
    Objects.requireNonNull(dataSource, "dataSource");
    TableName table = TableName.parse(tableName);
    return Migrations.migrate(dataSource, Dialect.detect(dataSource), table, Migrations.Set.KEYS);
  }

  /**
   * The schema version this library's migrations create.
   *
   * @return the latest schema version of the key table
   */
  public static int latestSchemaVersion() {
    return Migrations.Set.KEYS.latest();
  }

  /** Whether the PostgreSQL driver is there, asked without loading {@link PgListener}. */
  private static boolean postgresDriverPresent() {
    try {
      Class.forName("org.postgresql.PGConnection", false, JdbcKeyStore.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * The dialect in use, detected or configured.
   *
   * @return the dialect this store speaks
   */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * {@inheritDoc} The per-owner lock is a transaction-scoped advisory lock on PostgreSQL and a
   * locked row in {@code <table>_owners} on MariaDB and H2; without a limit ({@link
   * Integer#MAX_VALUE}) no lock is taken.
   *
   * @throws StoreUnavailableException if the database failed; nothing was stored
   */
  @Override
  public InsertResult insert(StoredKey key, int maxActiveKeysPerOwner, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    requireLimit(maxActiveKeysPerOwner);
    boolean limited = maxActiveKeysPerOwner != Integer.MAX_VALUE;
    if (limited) {
      ensureOwnerRow(key.key().ownerId());
    }
    return inTransaction(
        "insert",
        (c, tx) -> {
          if (limited) {
            lockOwner(c, key.key().ownerId());
            if (activeKeys(c, key.key().ownerId(), null, now) >= maxActiveKeysPerOwner) {
              tx.rollbackOnly = true;
              return new InsertResult.LimitReached(maxActiveKeysPerOwner);
            }
          }
          Optional<ApiKeyId> creator = key.key().createdBy();
          if (creator.isPresent() && !key.key().revoked()) {
            ApiKey c0 = lockRow(c, creator.get()); // waits for a cascade holding it
            if (c0 != null && c0.revoked()) {
              tx.rollbackOnly = true;
              return new InsertResult.CreatorRevoked(creator.get());
            }
          }
          try {
            insertRow(c, key);
            return new InsertResult.Inserted(key.key());
          } catch (SQLException e) {
            if (Failures.isIntegrityViolation(e)) {
              tx.rollbackOnly = true;
              return new InsertResult.Duplicate();
            }
            throw e;
          }
        });
  }

  private static void requireLimit(int maxActiveKeysPerOwner) {
    if (maxActiveKeysPerOwner < 1) {
      throw new IllegalArgumentException(
          "maxActiveKeysPerOwner must be at least 1, was " + maxActiveKeysPerOwner);
    }
  }

  /** MariaDB and H2: the owner's lock row, made once in its own statement (never deleted). */
  private void ensureOwnerRow(OwnerId owner) {
    if (dialect == Dialect.POSTGRESQL) {
      return;
    }
    withConnection(
        "insert",
        c -> {
          boolean autoCommit = c.getAutoCommit();
          try {
            c.setAutoCommit(true);
            if (dialect == Dialect.MARIADB) {
              try (PreparedStatement ps = prepare(c, sql.ensureOwnerMariaDb())) {
                ps.setString(1, owner.value());
                ps.executeUpdate();
              }
            } else {
              try (PreparedStatement ps = prepare(c, sql.ensureOwnerH2())) {
                ps.setString(1, owner.value());
                ps.setString(2, owner.value());
                ps.executeUpdate();
              } catch (SQLException e) {
                if (!Failures.isIntegrityViolation(e)) {
                  throw e; // else another transaction made it meanwhile
                }
              }
            }
          } finally {
            Migrations.restoreAutoCommit(c, autoCommit);
          }
          return null;
        });
  }

  /** Serialises, until this transaction ends, every limited insert or rotation for the owner. */
  private void lockOwner(Connection c, OwnerId owner) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement ps = prepare(c, sql.pgAdvisoryXactLock())) {
        ps.setLong(1, ownerLockKey(owner));
        ps.executeQuery().close();
      }
      return;
    }
    try (PreparedStatement ps = prepare(c, sql.lockOwner())) {
      ps.setString(1, owner.value());
      ps.executeQuery().close();
    }
  }

  /** A 64-bit advisory lock key for table and owner; a collision only serialises more. */
  private long ownerLockKey(OwnerId owner) {
    java.util.zip.CRC32 table = new java.util.zip.CRC32();
    table.update(sql.table().qualified().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.util.zip.CRC32 id = new java.util.zip.CRC32();
    id.update(owner.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return (table.getValue() << 32) ^ id.getValue() ^ (((long) owner.value().length()) << 40);
  }

  /** The owner's keys valid at {@code now}, not counting {@code except}; owners compared exactly. */
  private int activeKeys(Connection c, OwnerId owner, ApiKeyId except, Instant now)
      throws SQLException {
    int count = 0;
    try (PreparedStatement ps = prepare(c, sql.countActive())) {
      ps.setString(1, owner.value());
      time.set(ps, 2, now);
      ps.setString(3, except == null ? "" : except.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (owner.value().equals(rs.getString(1))) {
            count++;
          }
        }
      }
    }
    return count;
  }

  /** {@inheritDoc} */
  @Override
  public Optional<StoredKey> findByLookupId(String lookupId) {
    Objects.requireNonNull(lookupId, "lookupId");
    return withConnection(
        "findByLookupId",
        c -> {
          try (PreparedStatement ps = prepare(c, sql.findByLookupId())) {
            ps.setString(1, lookupId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                // Collations may pad or fold: only an exact match counts.
                if (lookupId.equals(rs.getString("lookup_id"))) {
                  return Optional.of(readStored(rs));
                }
              }
              return Optional.empty();
            }
          }
        });
  }

  /** {@inheritDoc} */
  @Override
  public Optional<ApiKey> findById(ApiKeyId id) {
    Objects.requireNonNull(id, "id");
    return withConnection("findById", c -> selectById(c, id));
  }

  /** {@inheritDoc} */
  @Override
  public List<ApiKey> listByOwner(OwnerId owner) {
    Objects.requireNonNull(owner, "owner");
    return withConnection(
        "listByOwner",
        c -> {
          List<ApiKey> out = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, sql.listByOwner())) {
            ps.setString(1, owner.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ApiKey key = readKey(rs);
                // MariaDB's collations ignore trailing spaces: compare exactly here.
                if (key.ownerId().equals(owner)) {
                  out.add(key);
                }
              }
            }
          }
          out.sort(NEWEST_FIRST);
          return List.copyOf(out);
        });
  }

  /** {@inheritDoc} */
  @Override
  public RevokeResult revoke(ApiKeyId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    return inTransaction(
        "revoke",
        (c, tx) -> {
          long seq = nextSeq(c);
          int changed;
          try (PreparedStatement ps = prepare(c, sql.revoke())) {
            time.set(ps, 1, at);
            ps.setLong(2, seq);
            ps.setString(3, id.value());
            changed = ps.executeUpdate();
          }
          Optional<ApiKey> now = selectById(c, id);
          if (changed == 0) {
            tx.rollbackOnly = true; // unknown or already revoked: nothing to announce
            return now.<RevokeResult>map(RevokeResult.AlreadyRevoked::new)
                .orElseGet(RevokeResult.NotFound::new);
          }
          notifyChange(c, id);
          return new RevokeResult.Revoked(now.orElseThrow());
        });
  }

  /**
   * {@inheritDoc} The old row is read with {@code SELECT ... FOR UPDATE} after the change
   * counter's lock, which every revocation also takes first, so the check and the write cannot
   * interleave with a revocation.
   */
  @Override
  public RotateResult rotate(
      StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int maxActiveKeysPerOwner) {
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(old, "old");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(now, "now");
    requireLimit(maxActiveKeysPerOwner);
    boolean limited = maxActiveKeysPerOwner != Integer.MAX_VALUE;
    OwnerId owner = replacement.key().ownerId();
    if (limited) {
      ensureOwnerRow(owner);
    }
    return inTransaction(
        "rotate",
        (c, tx) -> {
          if (limited) {
            lockOwner(c, owner); // owner, then change counter, then row: one order everywhere
          }
          long seq = nextSeq(c);
          ApiKey current = null;
          try (PreparedStatement ps = prepare(c, sql.lockKey())) {
            ps.setString(1, old.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ApiKey k = readKey(rs);
                if (k.id().equals(old)) {
                  current = k;
                }
              }
            }
          }
          if (current == null) {
            tx.rollbackOnly = true;
            return new RotateResult.NotFound();
          }
          if (!current.validAt(now) || current.disabled()) {
            tx.rollbackOnly = true;
            return new RotateResult.NotActive(current);
          }
          if (limited && activeKeys(c, owner, old, now) >= maxActiveKeysPerOwner) {
            tx.rollbackOnly = true;
            return new RotateResult.LimitReached(maxActiveKeysPerOwner);
          }
          try {
            insertRow(c, replacement);
          } catch (SQLException e) {
            if (Failures.isIntegrityViolation(e)) {
              tx.rollbackOnly = true;
              return new RotateResult.Collision();
            }
            throw e;
          }
          Optional<Instant> currentExpiry = current.expiresAt();
          Instant expiry =
              currentExpiry.isEmpty() || currentExpiry.get().isAfter(notAfter)
                  ? notAfter
                  : currentExpiry.get();
          try (PreparedStatement ps = prepare(c, sql.setExpiry())) {
            time.set(ps, 1, expiry);
            ps.setString(2, replacement.key().id().value());
            ps.setLong(3, seq);
            ps.setString(4, old.value());
            ps.executeUpdate();
          }
          notifyChange(c, old);
          return new RotateResult.Rotated(selectById(c, old).orElseThrow());
        });
  }

  /**
   * {@inheritDoc} The row is read with {@code SELECT ... FOR UPDATE} after the change counter's
   * lock, which every revocation and rotation also takes first.
   */
  @Override
  public UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(now, "now");
    if (!expected.id().equals(replacement.id())) {
      throw new IllegalArgumentException(
          "replacement " + replacement.id() + " is not key " + expected.id());
    }
    ApiKeyId id = expected.id();
    return inTransaction(
        "update",
        (c, tx) -> {
          long seq = nextSeq(c);
          ApiKey current = lockRow(c, id);
          if (current == null) {
            tx.rollbackOnly = true;
            return new UpdateResult.NotFound();
          }
          if (!current.validAt(now)) {
            tx.rollbackOnly = true;
            return new UpdateResult.NotActive(current);
          }
          if (!current.withLastUsedAt(Optional.empty())
              .equals(expected.withLastUsedAt(Optional.empty()))) {
            tx.rollbackOnly = true;
            return new UpdateResult.Conflict(current);
          }
          try (PreparedStatement ps = prepare(c, sql.update())) {
            ps.setString(1, replacement.name());
            ps.setString(2, scopesText(replacement.scopes()));
            time.set(ps, 3, replacement.expiresAt().orElse(null));
            setNullable(ps, 4, replacement.metaData().orElse(null));
            setNullable(ps, 5, ipsText(replacement.allowedIps()));
            time.set(ps, 6, replacement.disabledAt().orElse(null));
            ps.setLong(7, seq);
            setNullable(ps, 8, UsageColumns.rateLimitsText(replacement.usage()));
            setNullable(ps, 9, UsageColumns.creditsText(replacement.usage()));
            ps.setString(10, id.value());
            ps.executeUpdate();
          }
          notifyChange(c, id);
          return new UpdateResult.Updated(selectById(c, id).orElseThrow());
        });
  }

  /**
   * {@inheritDoc} One transaction: the change counter's lock first (as every revoke, rotate and
   * update), then each key of the tree with {@code SELECT ... FOR UPDATE}, level by level, each
   * revoked before its children are read (so a key created from it concurrently either committed
   * before and is found, or finds its creator revoked).
   */
  @Override
  public CascadeResult revokeCascade(ApiKeyId root, Instant at) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(at, "at");
    return inTransaction(
        "revokeCascade",
        (c, tx) -> {
          long seq = nextSeq(c);
          if (lockRow(c, root) == null) {
            tx.rollbackOnly = true;
            return new CascadeResult.NotFound();
          }
          List<ApiKeyId> revokedIds = new ArrayList<>();
          java.util.Set<ApiKeyId> seen = new java.util.HashSet<>(List.of(root));
          java.util.ArrayDeque<ApiKeyId> queue = new java.util.ArrayDeque<>(List.of(root));
          while (!queue.isEmpty()) {
            ApiKeyId id = queue.poll();
            try (PreparedStatement ps = prepare(c, sql.revoke())) {
              time.set(ps, 1, at);
              ps.setLong(2, seq);
              ps.setString(3, id.value());
              if (ps.executeUpdate() == 1) {
                revokedIds.add(id);
                notifyChange(c, id);
              }
            }
            try (PreparedStatement ps = prepare(c, sql.lockChildren())) {
              ps.setString(1, id.value());
              ps.setString(2, id.value());
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  ApiKey child = readKey(rs);
                  boolean linked =
                      child.createdBy().filter(id::equals).isPresent()
                          || child.rotatedFrom().filter(id::equals).isPresent();
                  if (linked && seen.add(child.id())) {
                    queue.add(child.id());
                  }
                }
              }
            }
          }
          List<ApiKey> revoked = new ArrayList<>();
          for (ApiKeyId id : revokedIds) {
            revoked.add(selectById(c, id).orElseThrow());
          }
          if (revokedIds.isEmpty()) {
            tx.rollbackOnly = true; // nothing changed: the counter need not move
          }
          return new CascadeResult.Revoked(selectById(c, root).orElseThrow(), revoked);
        });
  }

  /** {@inheritDoc} */
  @Override
  public Optional<StoredKey> findByDigest(String keyDigest) {
    Objects.requireNonNull(keyDigest, "keyDigest");
    return withConnection(
        "findByDigest",
        c -> {
          try (PreparedStatement ps = prepare(c, sql.findByDigest())) {
            ps.setString(1, keyDigest);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (keyDigest.equals(rs.getString("key_digest"))) {
                  return Optional.of(readStored(rs));
                }
              }
              return Optional.empty();
            }
          }
        });
  }

  /** {@inheritDoc} A digest another key already has is not recorded (false). */
  @Override
  public boolean recordDigest(ApiKeyId id, String keyDigest) {
    Objects.requireNonNull(id, "id");
    StoredKey.requireDigest(keyDigest);
    return inTransaction(
        "recordDigest",
        (c, tx) -> {
          try (PreparedStatement ps = prepare(c, sql.recordDigest())) {
            ps.setString(1, keyDigest);
            ps.setString(2, id.value());
            return ps.executeUpdate() == 1;
          } catch (SQLException e) {
            if (Failures.isIntegrityViolation(e)) {
              tx.rollbackOnly = true;
              return false;
            }
            throw e;
          }
        });
  }

  /** One key's row, locked until the transaction ends; null if there is none. */
  private ApiKey lockRow(Connection c, ApiKeyId id) throws SQLException {
    ApiKey current = null;
    try (PreparedStatement ps = prepare(c, sql.lockKey())) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ApiKey k = readKey(rs);
          if (k.id().equals(id)) {
            current = k;
          }
        }
      }
    }
    return current;
  }

  /** {@inheritDoc} */
  @Override
  public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expectedHash, "expectedHash");
    Objects.requireNonNull(newHash, "newHash");
    return inTransaction(
        "replaceHash",
        (c, tx) -> {
          try (PreparedStatement ps = prepare(c, sql.replaceHash())) {
            ps.setString(1, newHash);
            ps.setString(2, id.value());
            ps.setString(3, expectedHash);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /**
   * {@inheritDoc} One JDBC batch in one transaction, in id order so that concurrent flushes from
   * several nodes cannot deadlock.
   */
  @Override
  public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
    Objects.requireNonNull(lastUsed, "lastUsed");
    if (lastUsed.isEmpty()) {
      return;
    }
    TreeMap<String, Instant> sorted = new TreeMap<>();
    lastUsed.forEach(
        (id, at) ->
            sorted.put(
                Objects.requireNonNull(id, "id").value(), Objects.requireNonNull(at, "at")));
    inTransaction(
        "recordLastUsed",
        (c, tx) -> {
          try (PreparedStatement ps = c.prepareStatement(sql.recordLastUsed())) {
            for (Map.Entry<String, Instant> e : sorted.entrySet()) {
              time.set(ps, 1, e.getValue());
              ps.setString(2, e.getKey());
              time.set(ps, 3, e.getValue());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /**
   * {@inheritDoc} The first subscription starts the feed thread and waits (at most 5 s) until it
   * listens or polls, so that changes committed after this returns are delivered; if the database
   * cannot be reached yet, the feed keeps trying and reports missed changes once connected.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public Optional<io.blnk.auth.usage.UsageStore> usageStore() {
    return Optional.of(usage);
  }

  @Override
  public AutoCloseable subscribe(KeyChangeListener listener) {
    Objects.requireNonNull(listener, "listener");
    Feed started;
    synchronized (feedLock) {
      if (closed) {
        throw new IllegalStateException("the store is closed");
      }
      listeners.add(listener);
      if (feed == null) {
        feed = new Feed(dataSource, sql, notify, pollInterval, catchUpInterval, listeners);
        feed.start();
      }
      started = feed;
    }
    started.awaitFirstAttempt(FIRST_CONNECT_WAIT);
    return () -> listeners.remove(listener);
  }

  /**
   * How far behind the database the revocation feed may be, for metrics: the time since the feed
   * last knew it had delivered every change, that is since the start of its last successful
   * catch-up (every poll when polling; every catch-up interval and every reconnect when listening,
   * where notifications also arrive in between). It grows while the database cannot be reached.
   * Empty when no feed runs (nothing subscribed yet, or the store is closed).
   *
   * @return the feed's lag, or empty when no feed runs
   */
  public Optional<Duration> feedLag() {
    Feed running;
    synchronized (feedLock) {
      running = feed;
    }
    return running == null ? Optional.empty() : Optional.of(running.lag());
  }

  /** Stops the feed thread and closes its connection. Idempotent. */
  @Override
  public void close() {
    Feed running;
    synchronized (feedLock) {
      closed = true;
      running = feed;
      feed = null;
    }
    listeners.clear();
    if (running != null) {
      running.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public String toString() {
    return "JdbcKeyStore[" + dialect + ", " + sql.table() + "]";
  }

  // ---------------------------------------------------------------- rows

  private void insertRow(Connection c, StoredKey stored) throws SQLException {
    ApiKey k = stored.key();
    try (PreparedStatement ps = prepare(c, sql.insert())) {
      ps.setString(1, k.id().value());
      ps.setString(2, stored.lookupId());
      ps.setString(3, stored.keyHash());
      ps.setString(4, k.keyPrefix());
      ps.setString(5, k.name());
      ps.setString(6, k.ownerId().value());
      ps.setString(7, scopesText(k.scopes()));
      time.set(ps, 8, k.expiresAt().orElse(null));
      time.set(ps, 9, k.createdAt());
      time.set(ps, 10, k.lastUsedAt().orElse(null));
      ps.setBoolean(11, k.revokedAt().isPresent());
      time.set(ps, 12, k.revokedAt().orElse(null));
      if (k.createdBy().isPresent()) {
        ps.setString(13, k.createdBy().get().value());
      } else {
        ps.setNull(13, Types.VARCHAR);
      }
      bindLifecycleColumns(ps, time, stored);
      UsageColumns.bind(ps, 20, k.usage());
      ps.executeUpdate();
    }
  }

  /** Binds the insert statement's parameters 14 to 19, the columns of schema version 3. */
  static void bindLifecycleColumns(PreparedStatement ps, Timestamps time, StoredKey stored)
      throws SQLException {
    ApiKey k = stored.key();
    time.set(ps, 14, k.disabledAt().orElse(null));
    setNullable(ps, 15, k.metaData().orElse(null));
    setNullable(ps, 16, ipsText(k.allowedIps()));
    setNullable(ps, 17, k.rotatedFrom().map(ApiKeyId::value).orElse(null));
    setNullable(ps, 18, k.rotatedTo().map(ApiKeyId::value).orElse(null));
    setNullable(ps, 19, stored.keyDigest().orElse(null));
  }

  private static void setNullable(PreparedStatement ps, int index, String value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  /** Canonical ranges separated by single spaces; null for any address. */
  static String ipsText(IpAllowList ips) {
    return ips.isUnrestricted() ? null : String.join(" ", ips.ranges());
  }

  static IpAllowList parseIps(String text) {
    if (text == null || text.isBlank()) {
      return IpAllowList.ANY;
    }
    List<String> ranges = new ArrayList<>();
    for (String r : text.strip().split(" +")) {
      ranges.add(r);
    }
    return IpAllowList.parse(ranges);
  }

  private StoredKey readStored(ResultSet rs) throws SQLException {
    String digest = rs.getString("key_digest");
    StoredKey stored = new StoredKey(readKey(rs), rs.getString("lookup_id"), rs.getString("key_hash"));
    return digest == null ? stored : stored.withKeyDigest(digest);
  }

  private Optional<ApiKey> selectById(Connection c, ApiKeyId id) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql.findById())) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ApiKey key = readKey(rs);
          if (key.id().equals(id)) {
            return Optional.of(key);
          }
        }
        return Optional.empty();
      }
    }
  }

  private ApiKey readKey(ResultSet rs) throws SQLException {
    String id = rs.getString("api_key_id");
    try {
      Instant revokedAt = time.get(rs, "revoked_at");
      if (revokedAt == null && rs.getBoolean("is_revoked")) {
        revokedAt = Instant.EPOCH; // revoked by hand without a time: still revoked
      }
      String createdBy = rs.getString("created_by");
      String rotatedFrom = rs.getString("rotated_from");
      String rotatedTo = rs.getString("rotated_to");
      return new ApiKey(
          new ApiKeyId(id),
          rs.getString("name"),
          new OwnerId(rs.getString("owner_id")),
          parseScopes(rs.getString("scopes")),
          Optional.ofNullable(time.get(rs, "expires_at")),
          time.get(rs, "created_at"),
          Optional.ofNullable(time.get(rs, "last_used_at")),
          Optional.ofNullable(revokedAt),
          createdBy == null ? Optional.empty() : Optional.of(new ApiKeyId(createdBy)),
          rs.getString("key_prefix"),
          Optional.ofNullable(time.get(rs, "disabled_at")),
          Optional.ofNullable(rs.getString("meta_data")),
          parseIps(rs.getString("allowed_ips")),
          rotatedFrom == null ? Optional.empty() : Optional.of(new ApiKeyId(rotatedFrom)),
          rotatedTo == null ? Optional.empty() : Optional.of(new ApiKeyId(rotatedTo)))
          .toBuilder()
          .usage(UsageColumns.read(rs))
          .build();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new SQLException(
          "stored key row " + (ApiKeyId.isValid(id) ? id : "?") + " is malformed: " + e.getMessage(),
          "22000");
    }
  }

  /** Canonical scopes separated by single spaces (scopes never contain whitespace). */
  static String scopesText(ScopeSet scopes) {
    StringBuilder out = new StringBuilder();
    for (Scope s : scopes.scopes()) {
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(s);
    }
    return out.toString();
  }

  static ScopeSet parseScopes(String text) {
    List<Scope> scopes = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        if (i > start) {
          scopes.add(Scope.parse(text.substring(start, i)));
        }
        start = i + 1;
      }
    }
    return new ScopeSet(scopes);
  }

  /** Takes the change counter's row lock (serialising changes in commit order) and advances it. */
  private long nextSeq(Connection c) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql.bumpSeq())) {
      if (ps.executeUpdate() != 1) {
        throw new SQLException("change counter row missing in " + sql.table() + "_changes", "55000");
      }
    }
    try (PreparedStatement ps = prepare(c, sql.readSeq());
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("change counter row missing in " + sql.table() + "_changes", "55000");
      }
      return rs.getLong(1);
    }
  }

  /** PostgreSQL: a notification delivered to every listening node when this transaction commits. */
  private void notifyChange(Connection c, ApiKeyId id) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      return;
    }
    try (PreparedStatement ps = prepare(c, sql.pgNotify())) {
      ps.setString(1, sql.channel());
      ps.setString(2, id.value());
      ps.executeQuery().close();
    }
  }

  // ---------------------------------------------------------------- connections and transactions

  /** A statement that the database cancels after the statement timeout. */
  private PreparedStatement prepare(Connection c, String text) throws SQLException {
    PreparedStatement ps = c.prepareStatement(text);
    try {
      ps.setQueryTimeout(statementTimeoutSeconds);
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
    return ps;
  }

  private interface Read<T> {
    T run(Connection c) throws SQLException;
  }

  private interface Work<T> {
    T run(Connection c, Tx tx) throws SQLException;
  }

  /** Per-transaction state: set {@code rollbackOnly} to undo everything and still return. */
  private static final class Tx {
    boolean rollbackOnly;
  }

  private <T> T withConnection(String operation, Read<T> read) {
    try (Connection c = dataSource.getConnection()) {
      return read.run(c);
    } catch (SQLException e) {
      throw Failures.unavailable(operation, e);
    }
  }

  private <T> T inTransaction(String operation, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        try {
          if (autoCommit) {
            c.setAutoCommit(false);
          }
          Tx tx = new Tx();
          T result = work.run(c, tx);
          if (tx.rollbackOnly) {
            c.rollback();
          } else {
            c.commit();
          }
          return result;
        } catch (SQLException | RuntimeException e) {
          Migrations.rollbackQuietly(c);
          throw e;
        } finally {
          Migrations.restoreAutoCommit(c, autoCommit);
        }
      } catch (SQLException e) {
        if (attempt < MAX_ATTEMPTS && Failures.isRetryable(e)) {
          continue;
        }
        throw Failures.unavailable(operation, e);
      }
    }
  }

  /**
   * Configures a {@link JdbcKeyStore}. Each option may be set once: a second call throws {@link
   * IllegalStateException} naming it. {@link #build()} snapshots the options, so the builder may
   * build again and later calls do not change a store already built. Not thread-safe.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final DataSource dataSource;
    private TableName table = TableName.parse(DEFAULT_TABLE_NAME);
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration catchUpInterval = Duration.ofSeconds(5);
    private Duration statementTimeout = Duration.ofSeconds(2);
    private boolean migrate = true;
    private Dialect dialect;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The key table's name, default {@value JdbcKeyStore#DEFAULT_TABLE_NAME}; may be
     * schema-qualified ({@code schema.name}). The store also uses {@code <name>_changes} and
     * {@code <name>_schema_version} next to it.
     *
     * @param tableName the table name, {@code name} or {@code schema.name}
     * @return this builder
     * @throws NullPointerException if {@code tableName} is null
     * @throws IllegalArgumentException unless each part is 1 to 40 characters of {@code
     *     [a-z0-9_]} not starting with a digit
     * @throws IllegalStateException if {@code tableName} is already set
     */
    public Builder tableName(String tableName) {
      TableName parsed = TableName.parse(tableName);
      set.once("tableName");
      this.table = parsed;
      return this;
    }

    /**
     * How often the feed polls for changes made on other nodes when it cannot listen for
     * PostgreSQL notifications. Default 1 s.
     *
     * @param interval the time between two polls
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if the interval is not positive
     * @throws IllegalStateException if {@code pollInterval} is already set
     */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("pollInterval must be positive, was " + interval);
      }
      set.once("pollInterval");
      this.pollInterval = interval;
      return this;
    }

    /**
     * In LISTEN mode (PostgreSQL), how often the feed also reads the change sequence, catching up
     * on changes whose notification never came (for example behind a transaction-pooling proxy
     * such as PgBouncer, where {@code LISTEN} delivers nothing). Revocations reach this node
     * within this interval at worst. Default 5 s.
     *
     * @param interval the time between two catch-ups
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if the interval is not positive
     * @throws IllegalStateException if {@code catchUpInterval} is already set
     */
    public Builder catchUpInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("catchUpInterval must be positive, was " + interval);
      }
      set.once("catchUpInterval");
      this.catchUpInterval = interval;
      return this;
    }

    /**
     * How long the database may take over one statement of a request (lookups, listings,
     * writes) before the driver cancels it ({@code Statement.setQueryTimeout}, whole seconds,
     * rounded up). {@code BlnkAuth} also bounds each store call with its own deadline, which
     * covers waiting for a connection. Default 2 s.
     *
     * @param timeout the longest one statement may run
     * @return this builder
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws IllegalStateException if {@code statementTimeout} is already set
     */
    public Builder statementTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("statementTimeout must be positive, was " + timeout);
      }
      set.once("statementTimeout");
      this.statementTimeout = timeout;
      return this;
    }

    /**
     * Whether {@link #build()} runs the migrations. Default true; with false, create or upgrade
     * the table beforehand (for example with {@link JdbcKeyStore#migrate(DataSource, String)} or
     * the CLI's {@code migrate} command).

     *
     * @param migrate true to create or upgrade the table on build
     * @return this builder
     * @throws IllegalStateException if {@code migrate} is already set
     */
    public Builder migrate(boolean migrate) {
      set.once("migrate");
      this.migrate = migrate;
      return this;
    }

    /**
     * The database's dialect, instead of asking the database which product it is.
     *
     * @param dialect the dialect to use
     * @return this builder
     * @throws NullPointerException if {@code dialect} is null
     * @throws IllegalStateException if {@code dialect} is already set
     */
    public Builder dialect(Dialect dialect) {
      Objects.requireNonNull(dialect, "dialect");
      set.once("dialect");
      this.dialect = dialect;
      return this;
    }

    /**
     * Builds the store, running the migrations first unless disabled. The feed starts with the
     * first {@link JdbcKeyStore#subscribe subscription}.
     *
     * @return the store, ready to use
     * @throws IllegalArgumentException
 if the database is not supported
     * @throws IllegalStateException if the database records a newer schema version than this
     *     library knows
     * @throws StoreUnavailableException if the database could not be reached or migrated
     */
    public JdbcKeyStore build() {
      return new JdbcKeyStore(
          new Settings(
              dataSource,
              table,
              pollInterval,
              catchUpInterval,
              statementTimeout,
              migrate,
              Optional.ofNullable(dialect)));
    }
  }
}
