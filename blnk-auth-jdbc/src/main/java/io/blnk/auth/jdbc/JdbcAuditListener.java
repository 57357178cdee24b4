package io.blnk.auth.jdbc;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.AuthListener;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuthListener} that writes audit events to a table ({@code blnk_auth_events} by
 * default): key created, rotated and revoked, authentication succeeded and failed, permission
 * denied.
 *
 * <pre>{@code
 * JdbcAuditListener audit = JdbcAuditListener.builder(dataSource).build();
 * BlnkAuth auth = BlnkAuth.builder().store(store).listener(AuthListener.slf4j().and(audit)) ...
 * }</pre>
 *
 * <p>The request thread only offers the event to a bounded queue: when the queue is full the event
 * is dropped and counted ({@link #droppedEvents()}), never waited for. A daemon thread writes the
 * queue in batches, one transaction per batch; a batch that cannot be written is logged and
 * counted ({@link #failedEvents()}). {@link #close()} writes what is still queued. Events never
 * carry a secret (see {@link AuthEvent}), and long texts are cut to their column's size.
 *
 * <p>Thread-safe.
 */
public final class JdbcAuditListener implements AuthListener, KeyEventLog, AutoCloseable {

  /** The default table name. */
  public static final String DEFAULT_TABLE_NAME = "blnk_auth_events";

  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditListener.class);

  private final DataSource dataSource;
  private final Timestamps time;
  private final String insert;
  private final String selectByKey;
  private final String selectByKeyBefore;
  private final String table;
  private final Set<AuthEvent.Type> types;
  private final BlockingQueue<AuthEvent> queue;
  private final int batchSize;
  private final long flushMillis;
  private final Object writeLock = new Object();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;
  private boolean failing; // guarded by writeLock

  private final Settings settings;

  /**
   * What a {@link Builder} held at {@link Builder#build()}, defaults included: the built listener
   * reads only this. The types are an unmodifiable copy; an empty dialect means the database is
   * asked.
   */
  record Settings(
      DataSource dataSource,
      TableName table,
      int queueCapacity,
      int batchSize,
      Duration flushInterval,
      boolean migrate,
      Optional<Dialect> dialect,
      Set<AuthEvent.Type> types) {
    Settings {
      types = Set.copyOf(types);
    }
  }

  /** The settings this listener was built with (for tests). */
  Settings settings() {
    return settings;
  }

  private JdbcAuditListener(Settings s) {
    this.settings = s;
    this.dataSource = s.dataSource();
    Dialect dialect = s.dialect().orElseGet(() -> Dialect.detect(s.dataSource()));
    this.time = new Timestamps(dialect);
    this.table = s.table().qualified();
    this.insert =
        "INSERT INTO "
            + table
            + " (event_type, occurred_at, api_key_id, owner_id, code, key_hint, remote_address,"
            + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    String columns =
        "SELECT event_id, event_type, occurred_at, api_key_id, owner_id, code, key_hint,"
            + " remote_address, detail FROM "
            + table
            + " WHERE api_key_id = ?";
    this.selectByKey = columns + " ORDER BY event_id DESC";
    this.selectByKeyBefore = columns + " AND event_id < ? ORDER BY event_id DESC";
    this.types = EnumSet.copyOf(s.types());
    this.queue = new ArrayBlockingQueue<>(s.queueCapacity());
    this.batchSize = s.batchSize();
    this.flushMillis = s.flushInterval().toMillis();
    if (s.migrate()) {
      Migrations.migrate(dataSource, dialect, s.table(), Migrations.Set.EVENTS);
    }
    this.writer = new Thread(this::writeLoop, "blnk-auth-audit[" + table + "]");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * A builder for a listener writing to {@code dataSource}.
   *
   * @param dataSource the database that holds (or will hold) the events table
   * @return a new builder; not thread-safe
   * @throws NullPointerException if {@code dataSource} is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Creates or upgrades the events table by hand. Safe to run again.
   *
   * @param dataSource the database
   * @param tableName the events table, optionally schema-qualified
   * @return the schema version now recorded
   * @throws IllegalArgumentException if the table name is invalid or the database unsupported
   * @throws IllegalStateException if the database records a newer version than this library knows
   * @throws StoreUnavailableException if the database failed
   */
  public static int migrate(DataSource dataSource, String tableName) {
    Objects.requireNonNull(dataSource, "dataSource");
    return Migrations.migrate(
        dataSource, Dialect.detect(dataSource), TableName.parse(tableName), Migrations.Set.EVENTS);
  }

  /** Queues the event for writing; drops and counts it if the queue is full or closed. */
  @Override
  public void onEvent(AuthEvent event) {
    if (event == null || closed || !queue.offer(event)) {
      dropped.incrementAndGet();
    } else {
      accepted.incrementAndGet();
    }
  }

  /** Whether events of this type are recorded (chosen at build time). */
  @Override
  public boolean wants(AuthEvent.Type type) {
    return types.contains(type);
  }

  /**
   * One page of {@code key}'s recorded events, newest first (by the order they were written); the
   * cursor is opaque. Events still queued are not yet visible: {@link #flush()} first to see them.
   * Texts come back as stored (cut to their columns); types and codes this library no longer knows
   * are left out.
   *
   * @throws IllegalArgumentException if {@code cursor} was not returned by this method, or {@code
   *     limit} is not between 1 and {@link KeyEventLog#MAX_LIMIT}
   * @throws StoreUnavailableException if the table cannot be read
   */
  @Override
  public Page eventsOf(ApiKeyId key, Optional<String> cursor, int limit) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(cursor, "cursor");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    long before = cursor.isPresent() ? EventCursor.decode(cursor.get()) : Long.MAX_VALUE;
    List<AuthEvent> events = new ArrayList<>(Math.min(limit, 64));
    long lastId = 0;
    boolean more = false;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(cursor.isPresent() ? selectByKeyBefore : selectByKey)) {
      ps.setString(1, key.value());
      if (cursor.isPresent()) {
        ps.setLong(2, before);
      }
      ps.setMaxRows(limit + 1);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (events.size() == limit) {
            more = true;
            break;
          }
          lastId = rs.getLong("event_id");
          AuthEvent e = event(key, rs);
          if (e != null) {
            events.add(e);
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException("read audit events", Failures.describe(e), e);
    }
    return new Page(events, more ? Optional.of(EventCursor.encode(lastId)) : Optional.empty());
  }

  private AuthEvent event(ApiKeyId key, java.sql.ResultSet rs) throws SQLException {
    AuthEvent.Type type;
    Optional<ErrorCode> code = Optional.empty();
    try {
      type = AuthEvent.Type.valueOf(rs.getString("event_type"));
      String c = rs.getString("code");
      if (c != null) {
        code = Optional.of(ErrorCode.valueOf(c));
      }
      return new AuthEvent(
          type,
          time.get(rs, "occurred_at"),
          Optional.of(key),
          Optional.ofNullable(rs.getString("owner_id")).map(OwnerId::of),
          code,
          rs.getString("key_hint"),
          rs.getString("remote_address"),
          rs.getString("detail"));
    } catch (IllegalArgumentException unknown) {
      return null; // a type or code this version does not know, or an owner it would refuse
    }
  }

  /**
   * Events dropped because the queue was full (or the listener closed). Thread-safe.
   *
   * @return the count since the listener was built
   */
  public long droppedEvents() {
    return dropped.get();
  }

  /**
   * Events lost because their batch could not be written. Thread-safe.
   *
   * @return the count since the listener was built
   */
  public long failedEvents() {
    return failed.get();
  }

  /**
   * Events written so far. Thread-safe.
   *
   * @return the count since the listener was built
   */
  public long writtenEvents() {
    return written.get();
  }

  /**
   * Waits (at most 10 s) until everything accepted before this call is written, or has failed.
   * The writer thread does the writing, so events keep the order they were accepted in; once the
   * writer has stopped ({@link #close()}), this writes what is left on the calling thread.
   */
  public void flush() {
    long target = accepted.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<AuthEvent> batch = new ArrayList<>(batchSize);
    synchronized (writeLock) {
      while (written.get() + failed.get() < target) {
        if (!writer.isAlive()) {
          // Only one thread ever writes: here, the writer has stopped and cannot hold an event.
          while (queue.drainTo(batch, batchSize) > 0) {
            write(batch);
            batch.clear();
          }
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          // Woken after each batch; the bound re-checks whether the writer has stopped meanwhile.
          writeLock.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops the writer thread and writes what is still queued. Idempotent. */
  @Override
  public void close() {
    closed = true;
    // Interrupt only while no batch is being written (write() holds the lock), so the wake-up can
    // only ever end the writer's wait for events, never break a write.
    synchronized (writeLock) {
      writer.interrupt();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }

  private void writeLoop() {
    List<AuthEvent> batch = new ArrayList<>(batchSize);
    while (!closed) {
      try {
        AuthEvent first = queue.poll(flushMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        write(batch);
      } catch (InterruptedException e) {
        // close() woke us: the loop condition ends the thread, close() writes the rest.
      } catch (RuntimeException e) {
        LOG.warn("audit writer failed: {}", e.toString());
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<AuthEvent> batch) {
    synchronized (writeLock) {
      if (Thread.currentThread() == writer) {
        Thread.interrupted(); // a wake-up from close() that came after the wait ended
      }
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        try {
          c.setAutoCommit(false);
          try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (AuthEvent e : batch) {
              ps.setString(1, e.type().name());
              time.set(ps, 2, e.at());
              setOptional(ps, 3, e.apiKeyId().map(ApiKeyId::value), 64);
              setOptional(ps, 4, e.ownerId().map(OwnerId::value), 255);
              setOptional(ps, 5, e.code().map(ErrorCode::name), 64);
              ps.setString(6, cut(e.keyHint(), 64));
              ps.setString(7, cut(e.remoteAddress(), 255));
              ps.setString(8, cut(e.detail(), 1000));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          c.commit();
          written.addAndGet(batch.size());
          if (failing) {
            failing = false;
            LOG.info("audit events are being written to {} again", table);
          }
        } catch (SQLException | RuntimeException e) {
          Migrations.rollbackQuietly(c);
          throw e;
        } finally {
          Migrations.restoreAutoCommit(c, autoCommit);
        }
      } catch (SQLException | RuntimeException e) {
        failed.addAndGet(batch.size());
        if (!failing) {
          failing = true;
          LOG.warn(
              "could not write {} audit events to {}: {}",
              batch.size(),
              table,
              e instanceof SQLException sql ? Failures.describe(sql) : e.toString());
        }
      } finally {
        writeLock.notifyAll();
      }
    }
  }

  private static void setOptional(PreparedStatement ps, int index, Optional<String> value, int max)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, cut(value.get(), max));
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  /** At most {@code max} UTF-16 units, never splitting a surrogate pair. */
  static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  @Override
  public String toString() {
    return "JdbcAuditListener[" + table + "]";
  }

  /**
   * Configures a {@link JdbcAuditListener}. Each option may be set once: a second call throws
   * {@link IllegalStateException} naming it. {@link #build()} snapshots the options, so the
   * builder may build again and later calls do not change a listener already built. Not
   * thread-safe.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final DataSource dataSource;
    private TableName table = TableName.parse(DEFAULT_TABLE_NAME);
    private int queueCapacity = 10_000;
    private int batchSize = 500;
    private Duration flushInterval = Duration.ofSeconds(1);
    private boolean migrate = true;
    private Dialect dialect;
    private Set<AuthEvent.Type> types = EnumSet.allOf(AuthEvent.Type.class);

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The events table, default {@value JdbcAuditListener#DEFAULT_TABLE_NAME}; may be
     * schema-qualified.
     *
     * @param tableName the table name
     * @return this builder
     * @throws IllegalArgumentException if the name is not a valid identifier (see {@link
     *     JdbcKeyStore.Builder#tableName})
     * @throws IllegalStateException if {@code tableName} is already set
     */
    public Builder tableName(String tableName) {
      TableName parsed = TableName.parse(tableName);
      set.once("tableName");
      this.table = parsed;
      return this;
    }

    /**
     * How many events may wait for the writer; more are dropped and counted. Default 10,000.
     *
     * @param capacity the queue's capacity, at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if {@code queueCapacity} is already set
     */
    public Builder queueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, was " + capacity);
      }
      set.once("queueCapacity");
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * The most events written in one batch. Default 500.
     *
     * @param size the batch size, at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     * @throws IllegalStateException if {@code batchSize} is already set
     */
    public Builder batchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + size);
      }
      set.once("batchSize");
      this.batchSize = size;
      return this;
    }

    /**
     * How long the writer waits for a first event before looking again. Default 1 s.
     *
     * @param interval a positive duration
     * @return this builder
     * @throws NullPointerException if {@code interval} is null
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if {@code flushInterval} is already set
     */
    public Builder flushInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isZero() || interval.isNegative()) {
        throw new IllegalArgumentException("flushInterval must be positive, was " + interval);
      }
      set.once("flushInterval");
      this.flushInterval = interval;
      return this;
    }

    /**
     * Which event types to record. Default: all. Leaving out {@code AUTH_SUCCEEDED} keeps the
     * table small on busy hosts.
     *
     * @param types the types to record; copied
     * @return this builder
     * @throws NullPointerException if {@code types} is null
     * @throws IllegalArgumentException if empty
     * @throws IllegalStateException if {@code types} is already set
     */
    public Builder types(Set<AuthEvent.Type> types) {
      Objects.requireNonNull(types, "types");
      if (types.isEmpty()) {
        throw new IllegalArgumentException("types must not be empty");
      }
      EnumSet<AuthEvent.Type> copy = EnumSet.copyOf(types);
      set.once("types");
      this.types = copy;
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table. Default true.
     *
     * @param migrate false when the table is migrated by hand ({@link JdbcAuditListener#migrate})
     * @return this builder
     * @throws IllegalStateException if {@code migrate} is already set
     */
    public Builder migrate(boolean migrate) {
      set.once("migrate");
      this.migrate = migrate;
      return this;
    }

    /**
     * The database's dialect, instead of asking the database.
     *
     * @param dialect the dialect
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
     * Builds the listener (running the migration first unless disabled) and starts its writer.
     * The listener is thread-safe; close it to flush and stop the writer.
     *
     * @return the listener
     * @throws IllegalArgumentException if the database is not supported
     * @throws IllegalStateException if the table's recorded schema version is newer than known
     * @throws StoreUnavailableException if the database could not be reached or migrated
     */
    public JdbcAuditListener build() {
      return new JdbcAuditListener(
          new Settings(
              dataSource,
              table,
              queueCapacity,
              batchSize,
              flushInterval,
              migrate,
              Optional.ofNullable(dialect),
              types));
    }
  }
}
