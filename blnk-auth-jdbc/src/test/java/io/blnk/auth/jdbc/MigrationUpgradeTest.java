package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.InsertResult;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table created by version 1 of the migrations, with keys in it, is upgraded in place to the
 * latest version: the keys stay, and the per-owner limit and atomic rotation work on it.
 */
final class MigrationUpgradeTest {

  private static final Instant T0 = Instant.parse("2026-03-11T10:15:30.123456Z");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void a_version_1_table_is_upgraded_in_place(String database) throws Exception {
    DataSource ds = TestDatabases.forName(database, TestDatabases.uniqueName("blnk-upgrade"));
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String tableName = schema == null ? "old_keys" : schema + ".old_keys";
    TableName table = TableName.parse(tableName);
    Dialect dialect = Dialect.detect(ds);
    try {
      createVersion1(ds, dialect, table);
      StoredKey existing = key("alice");
      // A row as version 1 of this library wrote it (today's store writes the newer columns).
      insertVersion1Row(ds, dialect, table, existing);

      assertThat(JdbcKeyStore.migrate(ds, tableName)).isEqualTo(JdbcKeyStore.latestSchemaVersion());

      try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(tableName).build()) {
        assertThat(store.findByLookupId(existing.lookupId()).map(StoredKey::key))
            .contains(existing.key());
        assertThat(store.insert(key("alice"), 1, T0)).isEqualTo(new InsertResult.LimitReached(1));
        assertThat(store.insert(key("alice"), 2, T0)).isInstanceOf(InsertResult.Inserted.class);
        store.revoke(existing.key().id(), T0);
        assertThat(store.rotate(key("alice"), existing.key().id(), T0.plusSeconds(60), T0, 10))
            .isInstanceOf(RotateResult.NotActive.class);
      }
      assertThat(JdbcKeyStore.migrate(ds, tableName))
          .as("running again changes nothing")
          .isEqualTo(JdbcKeyStore.latestSchemaVersion());
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  /** What version 1 of this library left behind: its script and its version row. */
  private static void createVersion1(DataSource ds, Dialect dialect, TableName table)
      throws Exception {
    Migrations.Script v1 = Migrations.Set.KEYS.scripts.get(0);
    assertThat(v1.version()).isEqualTo(1);
    String versions = table.sibling("_schema_version");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (String sql : Migrations.statements(dialect, Migrations.Set.KEYS, v1, table)) {
        s.execute(sql);
      }
      s.execute(
          "CREATE TABLE " + versions + " (version INT NOT NULL PRIMARY KEY,"
              + " description VARCHAR(200) NOT NULL)");
      s.execute("INSERT INTO " + versions + " (version, description) VALUES (1, 'api keys table')");
    }
  }

  /** Inserts a key with version 1's columns only, as that version's store did. */
  static void insertVersion1Row(DataSource ds, Dialect dialect, TableName table, StoredKey stored)
      throws Exception {
    ApiKey k = stored.key();
    Timestamps time = new Timestamps(dialect);
    try (Connection c = ds.getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + table.qualified()
                    + " (api_key_id, lookup_id, key_hash, key_prefix, name, owner_id, scopes,"
                    + " expires_at, created_at, last_used_at, is_revoked, revoked_at, created_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
      ps.setBoolean(11, k.revoked());
      time.set(ps, 12, k.revokedAt().orElse(null));
      ps.setString(13, k.createdBy().map(ApiKeyId::value).orElse(null));
      ps.executeUpdate();
    }
  }

  private static StoredKey key(String owner) {
    String lookupId = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "k",
            OwnerId.of(owner),
            ScopeSet.of(Scope.parse("ledgers:read")),
            Optional.empty(),
            T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_" + lookupId.substring(0, 8));
    return new StoredKey(key, lookupId, "$test$h");
  }
}
