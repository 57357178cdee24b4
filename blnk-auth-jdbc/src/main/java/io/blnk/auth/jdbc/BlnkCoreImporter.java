package io.blnk.auth.jdbc;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.BlnkCoreKeyFormat;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.jdbc.BlnkCoreSource.Row;
import io.blnk.auth.store.StoredKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Copies a Blnk Core {@code api_keys} table into this library's key table, keeping ids, owners,
 * scopes, expiry, revocation, timestamps and the bcrypt hash, so that clients keep their keys (with
 * {@code BlnkAuth.Builder.acceptBlnkCoreKeys(true)} and a {@link BlnkCoreHasher}).
 *
 * <pre>{@code
 * try (Connection blnk = DriverManager.getConnection(blnkUrl)) {
 *   BlnkCoreImporter.Report report =
 *       BlnkCoreImporter.builder(dataSource).build().run(blnk);
 *   report.skipped().forEach(s -> System.out.println(s));
 * }
 * }</pre>
 *
 * <p>The source is only read (its connection is put in read-only mode), in pages ordered by Blnk's
 * serial {@code id}. Each page is written in one transaction, so an interrupted run leaves whole
 * pages behind and the next run takes the rest. A key already in the target (by {@code
 * api_key_id}) is left as it is — a second run changes nothing — except that a key Blnk Core has
 * revoked since is revoked here too (through the store, so every node hears of it).
 *
 * <p>A row is skipped, and reported with its {@code api_key_id}, when it has no {@code key_prefix}
 * (rows older than Blnk's key-prefix migration cannot be looked up), a hash that is not bcrypt,
 * a scope that does not parse or names a resource outside the registry, an invalid id, name or
 * owner, or a {@code key_prefix} already used by another key. Reports never hold a hash or a key
 * prefix. Not thread-safe: run one import at a time.
 */
public final class BlnkCoreImporter {

  /** The default source table: Blnk Core's. */
  public static final String DEFAULT_SOURCE_TABLE = "blnk.api_keys";

  private final DataSource target;
  private final TableName table;
  private final TableName source;
  private final ResourceRegistry registry;
  private final InstantSource clock;
  private final int pageSize;
  private final Consumer<Progress> progress;

  private final Settings settings;

  private BlnkCoreImporter(Settings s) {
    this.settings = s;
    this.target = s.target();
    this.table = s.table();
    this.source = s.source();
    this.registry = s.registry();
    this.clock = s.clock();
    this.pageSize = s.pageSize();
    this.progress = s.progress();
  }

  /**
   * What a {@link Builder} held at {@link Builder#build()}, defaults included: the built importer
   * reads only this.
   */
  record Settings(
      DataSource target,
      TableName table,
      TableName source,
      ResourceRegistry registry,
      InstantSource clock,
      int pageSize,
      Consumer<Progress> progress) {}

  /** The settings this importer was built with (for tests). */
  Settings settings() {
    return settings;
  }

  /**
   * A builder writing into the key table on {@code target}.
   *
   * @param target the database that holds (or will hold) blnk-auth's key table
   * @return a new builder; not thread-safe
   */
  public static Builder builder(DataSource target) {
    return new Builder(target);
  }

  /** Why a row was not imported. */
  public enum Reason {
    /** The row has no {@code key_prefix}: it predates Blnk's key-prefix migration. */
    NO_KEY_PREFIX,
    /** The {@code key_prefix} is not 16 URL-safe base64 characters. */
    INVALID_KEY_PREFIX,
    /** The stored key is not a bcrypt hash (e.g. a plaintext key from before Blnk 0.12). */
    NOT_BCRYPT,
    /** A scope does not parse, or names a resource outside the registry. */
    INVALID_SCOPE,
    /** The {@code api_key_id}, name, owner or a timestamp is invalid. */
    INVALID_ROW,
    /** Another key already uses this {@code key_prefix} (lookup id). */
    DUPLICATE_KEY_PREFIX
  }

  /**
   * One row not imported.
   *
   * @param sourceRowId Blnk's serial {@code id} of the row
   * @param apiKeyId the row's {@code api_key_id} as stored (may be invalid)
   * @param reason why
   * @param detail what exactly, e.g. the offending scopes; never a hash or key prefix
   */
  public record Skipped(long sourceRowId, String apiKeyId, Reason reason, String detail) {

    /**
     * Checks that no part is null.
     *
     * @param sourceRowId Blnk's serial {@code id} of the row
     * @param apiKeyId the row's {@code api_key_id} as stored
     * @param reason why
     * @param detail what exactly
     * @throws NullPointerException if {@code apiKeyId}, {@code reason} or {@code detail} is null
     */
    public Skipped {
      Objects.requireNonNull(apiKeyId, "apiKeyId");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Where a run stands, reported after each page.
   *
   * @param read rows read so far
   * @param total rows in the source when the run started
   */
  public record Progress(long read, long total) {}

  /**
   * The outcome of a run.
   *
   * @param read rows read from the source
   * @param imported rows written as new keys
   * @param alreadyPresent rows whose key was already in the target (left unchanged)
   * @param revokedSince keys already present that were revoked now because Blnk Core revoked them
   * @param skipped the rows not imported, in source order
   */
  public record Report(
      long read, long imported, long alreadyPresent, long revokedSince, List<Skipped> skipped) {

    /**
     * Copies the list.
     *
     * @param read rows read from the source
     * @param imported rows written as new keys
     * @param alreadyPresent rows whose key was already in the target
     * @param revokedSince keys already present that were revoked now
     * @param skipped the rows not imported; copied
     * @throws NullPointerException if {@code skipped} or an element is null
     */
    public Report {
      skipped = List.copyOf(skipped);
    }

    /**
     * Whether the run changed nothing in the target.
     *
     * @return true when nothing was imported and nothing revoked
     */
    public boolean changedNothing() {
      return imported == 0 && revokedSince == 0;
    }
  }

  /**
   * Runs the import from a connection to Blnk Core's database. The connection is switched to
   * read-only and to manual commit while the import reads; it is not closed. Runs on the calling
   * thread; one run at a time per importer.
   *
   * @param blnk a connection to Blnk Core's database
   * @return what was imported, already present, revoked and skipped
   * @throws NullPointerException if {@code blnk} is null
   * @throws StoreUnavailableException if the target database failed (pages already written stay)
   * @throws IllegalStateException if the source cannot be read (the message says why)
   */
  public Report run(Connection blnk) {
    Objects.requireNonNull(blnk, "blnk");
    JdbcKeyStore store = JdbcKeyStore.builder(target).tableName(table.qualified()).build();
    Dialect dialect = store.dialect();
    Statements sql = new Statements(table);
    Timestamps time = new Timestamps(dialect);
    List<Skipped> skipped = new ArrayList<>();
    long read = 0;
    long imported = 0;
    long present = 0;
    long revokedSince = 0;
    try {
      blnk.setReadOnly(true);
      blnk.setAutoCommit(false);
      BlnkCoreSource rows = new BlnkCoreSource(source, pageSize);
      boolean hasPrefix = rows.hasColumn(blnk, "key_prefix");
      long total = rows.count(blnk);
      long after = Long.MIN_VALUE;
      while (true) {
        List<Row> page = rows.readPage(blnk, hasPrefix, after);
        blnk.commit(); // ends the read transaction between pages
        if (page.isEmpty()) {
          break;
        }
        after = page.get(page.size() - 1).id();
        read += page.size();
        List<StoredKey> ordered = new ArrayList<>();
        Map<String, Row> rowOf = new HashMap<>();
        for (Row row : page) {
          Object outcome = convert(row);
          if (outcome instanceof Skipped s) {
            skipped.add(s);
          } else {
            StoredKey k = (StoredKey) outcome;
            ordered.add(k);
            rowOf.put(k.key().id().value(), row);
          }
        }
        Existing existing = existing(sql, ordered);
        List<StoredKey> fresh = new ArrayList<>();
        Map<String, String> taken = new HashMap<>(existing.lookupIdOwners);
        for (StoredKey k : ordered) {
          String id = k.key().id().value();
          Boolean revokedThere = existing.revokedById.get(id);
          String holder = taken.get(k.lookupId());
          if (revokedThere != null) {
            present++;
            if (!revokedThere && k.key().revoked()) {
              store.revoke(k.key().id(), k.key().revokedAt().get());
              revokedSince++;
            }
          } else if (holder != null) {
            skipped.add(duplicate(rowOf.get(id), holder));
          } else {
            taken.put(k.lookupId(), id);
            fresh.add(k);
          }
        }
        imported += insertPage(store, sql, time, fresh, rowOf, skipped);
        progress.accept(new Progress(read, Math.max(total, read)));
      }
      skipped.sort(Comparator.comparingLong(Skipped::sourceRowId));
      return new Report(read, imported, present, revokedSince, skipped);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not read " + source + " from the Blnk Core database: " + Failures.describe(e), e);
    } finally {
      try {
        blnk.rollback();
      } catch (SQLException ignored) {
        // Nothing was written there.
      }
      store.close();
    }
  }

  /** Writes a page in one transaction; on a conflict, row by row. Returns how many were new. */
  private long insertPage(
      JdbcKeyStore store,
      Statements sql,
      Timestamps time,
      List<StoredKey> fresh,
      Map<String, Row> rowOf,
      List<Skipped> skipped) {
    if (fresh.isEmpty()) {
      return 0;
    }
    try (Connection c = target.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      try {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sql.insert())) {
          for (StoredKey k : fresh) {
            bindInsert(ps, time, k);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        c.commit();
        return fresh.size();
      } catch (SQLException e) {
        Migrations.rollbackQuietly(c);
        if (!Failures.isIntegrityViolation(e) && !(e instanceof java.sql.BatchUpdateException)) {
          throw e;
        }
      } finally {
        Migrations.restoreAutoCommit(c, autoCommit);
      }
    } catch (SQLException e) {
      throw Failures.unavailable("import", e);
    }
    // Someone else wrote some of these keys meanwhile: one by one, each answer exact.
    long n = 0;
    for (StoredKey k : fresh) {
      if (store.insert(k)) {
        n++;
      } else if (store.findById(k.key().id()).isEmpty()) {
        skipped.add(duplicate(rowOf.get(k.key().id().value()), null));
      }
    }
    return n;
  }

  /** The same columns, in the same order, as {@code JdbcKeyStore}'s own insert. */
  private static void bindInsert(PreparedStatement ps, Timestamps time, StoredKey stored)
      throws SQLException {
    ApiKey k = stored.key();
    ps.setString(1, k.id().value());
    ps.setString(2, stored.lookupId());
    ps.setString(3, stored.keyHash());
    ps.setString(4, k.keyPrefix());
    ps.setString(5, k.name());
    ps.setString(6, k.ownerId().value());
    ps.setString(7, JdbcKeyStore.scopesText(k.scopes()));
    time.set(ps, 8, k.expiresAt().orElse(null));
    time.set(ps, 9, k.createdAt());
    time.set(ps, 10, k.lastUsedAt().orElse(null));
    ps.setBoolean(11, k.revokedAt().isPresent());
    time.set(ps, 12, k.revokedAt().orElse(null));
    ps.setNull(13, Types.VARCHAR);
    JdbcKeyStore.bindLifecycleColumns(ps, time, stored);
    // Imported keys have no usage controls (V4): no rate limits, their own usage id, no credits.
    UsageColumns.bind(ps, 20, io.blnk.auth.usage.UsagePolicy.NONE);
  }

  private record Existing(Map<String, Boolean> revokedById, Map<String, String> lookupIdOwners) {}

  /** Which of these keys (by id) and lookup ids the target already has. */
  private Existing existing(Statements sql, List<StoredKey> keys) {
    Map<String, Boolean> revoked = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    if (keys.isEmpty()) {
      return new Existing(revoked, owners);
    }
    String marks = "?" + ",?".repeat(keys.size() - 1);
    String t = table.qualified();
    try (Connection c = target.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT api_key_id, is_revoked FROM " + t + " WHERE api_key_id IN (" + marks + ")")) {
        for (int i = 0; i < keys.size(); i++) {
          ps.setString(i + 1, keys.get(i).key().id().value());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            revoked.put(rs.getString(1), rs.getBoolean(2));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT lookup_id, api_key_id FROM " + t + " WHERE lookup_id IN (" + marks + ")")) {
        for (int i = 0; i < keys.size(); i++) {
          ps.setString(i + 1, keys.get(i).lookupId());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            owners.put(rs.getString(1), rs.getString(2));
          }
        }
      }
    } catch (SQLException e) {
      throw Failures.unavailable("import", e);
    }
    return new Existing(revoked, owners);
  }

  private static Skipped duplicate(Row row, String otherId) {
    return new Skipped(
        row.id(),
        row.apiKeyId(),
        Reason.DUPLICATE_KEY_PREFIX,
        "key_prefix already used by "
            + (otherId != null && ApiKeyId.isValid(otherId) ? otherId : "another key"));
  }

  /** A {@link StoredKey}, or the {@link Skipped} saying why the row cannot be one. */
  private Object convert(Row row) {
    String id = row.apiKeyId() == null ? "" : row.apiKeyId();
    if (!ApiKeyId.isValid(id)) {
      return new Skipped(row.id(), printable(id), Reason.INVALID_ROW, "api_key_id is not api_key_ + a UUID v4");
    }
    if (row.keyPrefix() == null || row.keyPrefix().isEmpty()) {
      return new Skipped(row.id(), id, Reason.NO_KEY_PREFIX, "no key_prefix: the key cannot be looked up");
    }
    if (!BlnkCoreKeyFormat.isLookupId(row.keyPrefix())) {
      return new Skipped(
          row.id(), id, Reason.INVALID_KEY_PREFIX, "key_prefix is not 16 URL-safe base64 characters");
    }
    if (!BlnkCoreHasher.isBcrypt(row.hash())) {
      return new Skipped(row.id(), id, Reason.NOT_BCRYPT, "key is not a bcrypt hash");
    }
    List<Scope> scopes = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String text : row.scopes()) {
      try {
        scopes.add(registry.requireKnown(Scope.parse(text)));
      } catch (IllegalArgumentException | NullPointerException e) {
        bad.add(text == null ? "null" : '"' + printable(text) + '"');
      }
    }
    if (!bad.isEmpty()) {
      return new Skipped(
          row.id(), id, Reason.INVALID_SCOPE, "scopes outside the registry: " + String.join(", ", bad));
    }
    if (row.createdAt() == null) {
      return new Skipped(row.id(), id, Reason.INVALID_ROW, "created_at is null");
    }
    try {
      Optional<Instant> revokedAt =
          row.revoked()
              ? Optional.of(row.revokedAt() != null ? row.revokedAt() : BlnkCoreSource.micros(clock.instant()))
              : Optional.empty();
      ApiKey key =
          new ApiKey(
              new ApiKeyId(id),
              row.name() == null ? "" : row.name(),
              new OwnerId(row.ownerId() == null ? "" : row.ownerId()),
              new ScopeSet(scopes),
              Optional.ofNullable(row.expiresAt()),
              row.createdAt(),
              Optional.ofNullable(row.lastUsedAt()),
              revokedAt,
              Optional.empty(),
              row.keyPrefix().substring(0, BlnkCoreKeyFormat.DISPLAY_LENGTH));
      return new StoredKey(key, row.keyPrefix(), row.hash());
    } catch (IllegalArgumentException e) {
      return new Skipped(row.id(), id, Reason.INVALID_ROW, e.getMessage());
    }
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
    }
    return s.length() > 80 ? out + "..." : out.toString();
  }

  /**
   * Configures a {@link BlnkCoreImporter}. Each option may be set once: a second call throws
   * {@link IllegalStateException} naming it. {@link #build()} snapshots the options, so the
   * builder may build again and later calls do not change an importer already built. Not
   * thread-safe.
   */
  public static final class Builder {
    private final SetOnce set = new SetOnce();
    private final DataSource target;
    private TableName table = TableName.parse(JdbcKeyStore.DEFAULT_TABLE_NAME);
    private TableName source = TableName.parse(DEFAULT_SOURCE_TABLE);
    private ResourceRegistry registry = ResourceRegistry.blnkDefaults();
    private InstantSource clock = InstantSource.system();
    private int pageSize = 500;
    private Consumer<Progress> progress = p -> {};

    private Builder(DataSource target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /**
     * The target key table, as for {@link JdbcKeyStore.Builder#tableName}; migrated if needed.
     *
     * @param tableName the table, optionally schema-qualified
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if {@code tableName} is already set
     */
    public Builder tableName(String tableName) {
      TableName parsed = TableName.parse(tableName);
      set.once("tableName");
      this.table = parsed;
      return this;
    }

    /**
     * Blnk Core's table, default {@value BlnkCoreImporter#DEFAULT_SOURCE_TABLE}.
     *
     * @param tableName the table, optionally schema-qualified
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if {@code sourceTable} is already set
     */
    public Builder sourceTable(String tableName) {
      TableName parsed = TableName.parse(tableName);
      set.once("sourceTable");
      this.source = parsed;
      return this;
    }

    /**
     * The resources scopes may name; rows with others are skipped. Default: Blnk's.
     *
     * @param registry the registry
     * @return this builder
     * @throws NullPointerException if {@code registry} is null
     * @throws IllegalStateException if {@code registry} is already set
     */
    public Builder registry(ResourceRegistry registry) {
      Objects.requireNonNull(registry, "registry");
      set.once("registry");
      this.registry = registry;
      return this;
    }

    /**
     * The clock for revocations Blnk recorded without a time. Default: the system clock.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     * @throws IllegalStateException if {@code clock} is already set
     */
    public Builder clock(InstantSource clock) {
      Objects.requireNonNull(clock, "clock");
      set.once("clock");
      this.clock = clock;
      return this;
    }

    /**
     * Rows per page (and per target transaction), 1 to 1000; default 500.
     *
     * @param rows the page size
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if {@code pageSize} is already set
     */
    public Builder pageSize(int rows) {
      if (rows < 1 || rows > 1000) {
        throw new IllegalArgumentException("pageSize must be 1 to 1000, was " + rows);
      }
      set.once("pageSize");
      this.pageSize = rows;
      return this;
    }

    /**
     * Called after each page, on the importing thread. Default: nothing.
     *
     * @param listener receives the rows read so far and the total
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     * @throws IllegalStateException if {@code progress} is already set
     */
    public Builder progress(Consumer<Progress> listener) {
      Objects.requireNonNull(listener, "listener");
      set.once("progress");
      this.progress = listener;
      return this;
    }

    /**
     * The importer, immutable; the builder may be reused.
     *
     * @return the importer
     */
    public BlnkCoreImporter build() {
      return new BlnkCoreImporter(
          new Settings(target, table, source, registry, clock, pageSize, progress));
    }
  }
}
