package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Migrations: versioned, idempotent, safe to race, refusing a schema newer than they know. */
final class MigrationsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void a_second_run_changes_nothing(String database) throws Exception {
    DataSource ds = TestDatabases.forName(database, "blnk-migrations");
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String table = schema == null ? "blnk_api_keys" : schema + ".keys";
    try {
      assertThat(JdbcKeyStore.migrate(ds, table)).isEqualTo(JdbcKeyStore.latestSchemaVersion());
      StoredKey key = sampleKey();
      try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).migrate(false).build()) {
        assertThat(store.insert(key)).isTrue();
      }

      assertThat(JdbcKeyStore.migrate(ds, table)).isEqualTo(JdbcKeyStore.latestSchemaVersion());
      try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).build()) {
        assertThat(store.findById(key.key().id())).contains(key.key());
      }

      assertThat(count(ds, "SELECT COUNT(*) FROM " + table + "_schema_version"))
          .isEqualTo(Migrations.Set.KEYS.scripts.size());
      assertThat(count(ds, "SELECT COUNT(*) FROM " + table + "_changes")).isEqualTo(1);
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void a_schema_newer_than_the_library_is_refused_with_a_clear_message(String database) {
    DataSource ds = TestDatabases.forName(database, "blnk-migrations");
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String table = schema == null ? "blnk_api_keys" : schema + ".keys";
    try {
      JdbcKeyStore.migrate(ds, table);
      TestDatabases.execute(
          ds,
          "INSERT INTO "
              + table
              + "_schema_version (version, description) VALUES (99, 'from the future')");

      assertThatThrownBy(() -> JdbcKeyStore.builder(ds).tableName(table).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("schema version 99")
          .hasMessageContaining("newer than version " + JdbcKeyStore.latestSchemaVersion())
          .hasMessageContaining("upgrade blnk-auth-jdbc");
      assertThatThrownBy(() -> JdbcKeyStore.migrate(ds, table))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void nodes_starting_together_migrate_once(String database) throws Exception {
    DataSource ds = TestDatabases.forName(database, "blnk-migrations");
    String schema = TestDatabases.createSchema(ds);
    String table = schema + ".keys";
    int nodes = 6;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<JdbcKeyStore>> stores = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        stores.add(
            pool.submit(
                () -> {
                  go.await();
                  return JdbcKeyStore.builder(ds).tableName(table).build();
                }));
      }
      go.countDown();
      for (Future<JdbcKeyStore> f : stores) {
        f.get().close();
      }
      assertThat(count(ds, "SELECT COUNT(*) FROM " + table + "_schema_version"))
          .isEqualTo(Migrations.Set.KEYS.scripts.size());
      assertThat(count(ds, "SELECT COUNT(*) FROM " + table + "_changes")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
      TestDatabases.dropSchema(ds, schema);
    }
  }

  @Test
  void a_custom_table_name_is_used_for_every_table() throws Exception {
    DataSource ds = TestDatabases.h2();
    TestDatabases.execute(ds, "CREATE SCHEMA auth");
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName("auth.my_keys").build()) {
      StoredKey key = sampleKey();
      store.insert(key);
      assertThat(store.findById(key.key().id())).contains(key.key());
    }
    assertThat(count(ds, "SELECT COUNT(*) FROM auth.my_keys")).isEqualTo(1);
    assertThat(count(ds, "SELECT COUNT(*) FROM auth.my_keys_schema_version"))
        .isEqualTo(Migrations.Set.KEYS.scripts.size());
    assertThat(count(ds, "SELECT COUNT(*) FROM auth.my_keys_credits")).isZero();
    assertThat(count(ds, "SELECT COUNT(*) FROM auth.my_keys_buckets")).isZero();
    assertThat(
            count(
                ds,
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'BLNK%'"))
        .as("no table under the default name")
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "blnk_api_keys; DROP TABLE x",
        "keys--",
        "Keys",
        "a.b.c",
        ".keys",
        "keys.",
        "1keys",
        "\"keys\"",
        "keys name",
        "ключи",
        "a_name_that_is_far_too_long_to_be_accepted_x",
        ""
      })
  void invalid_table_names_are_refused_before_any_sql(String name) {
    assertThatThrownBy(() -> JdbcKeyStore.builder(TestDatabases.h2()).tableName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid table name");
    assertThatThrownBy(() -> JdbcKeyStore.migrate(TestDatabases.h2(), name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_store_built_without_migrating_reports_the_missing_table_as_unavailable() {
    try (JdbcKeyStore store = JdbcKeyStore.builder(TestDatabases.h2()).migrate(false).build()) {
      assertThatThrownBy(() -> store.insert(sampleKey()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("insert:");
    }
  }

  @Test
  void every_dialect_ships_every_script() {
    for (Dialect dialect : Dialect.values()) {
      for (Migrations.Set set : Migrations.Set.values()) {
        for (Migrations.Script script : set.scripts) {
          assertThat(Migrations.statements(dialect, set, script, TableName.parse("s.t")))
              .isNotEmpty()
              .allSatisfy(sql -> assertThat(sql).doesNotContain("${"));
        }
      }
    }
  }

  private static StoredKey sampleKey() {
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "k",
            OwnerId.of("migrations"),
            ScopeSet.of(Scope.parse("ledgers:read")),
            Optional.empty(),
            Instant.parse("2026-01-01T00:00:00.000001Z"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_abcdefgh");
    return new StoredKey(key, "abcdefgh" + UUID.randomUUID().toString().substring(0, 8), "h");
  }

  private static int count(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
