package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.KeyUpdate;
import io.blnk.auth.LeakAction;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.KeyStatus;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.key.PlaintextKey;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table made by today's schema before the key lifecycle (versions 1 and 2), holding real keys,
 * is upgraded in place to version 3: every key still authenticates, keeps every field, gets its
 * digest on its first verification (and is then found by it), and can be disabled, updated and
 * revoked by cascade like a new key.
 */
final class LifecycleMigrationTest {

  private static final KeyHasher HASHER = KeyHasher.hmacSha256(new byte[32]);
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void a_version_2_table_with_keys_is_upgraded_in_place_and_every_key_still_authenticates(
      String database) throws Exception {
    DataSource ds = TestDatabases.forName(database, TestDatabases.uniqueName("blnk-v3"));
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String tableName = schema == null ? "v2_keys" : schema + ".v2_keys";
    TableName table = TableName.parse(tableName);
    Dialect dialect = Dialect.detect(ds);
    try {
      createVersion2(ds, dialect, table);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
      List<PlaintextKey> plaintexts = new ArrayList<>();
      List<StoredKey> rows = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        PlaintextKey p = KeyFormat.blnk().generate(RANDOM);
        ApiKey k =
            new ApiKey(
                ApiKeyId.random(),
                "old key " + i,
                OwnerId.of("upgraded"),
                ScopeSet.of(Scope.parse("ledgers:read")),
                i == 4 ? Optional.empty() : Optional.of(now.plus(Duration.ofDays(30))),
                now.minusSeconds(60 - i),
                i == 1 ? Optional.of(now.minusSeconds(5)) : Optional.empty(),
                Optional.empty(),
                i == 2 ? Optional.of(rowsId(rows, 0)) : Optional.empty(),
                p.displayPrefix());
        StoredKey stored =
            new StoredKey(k, p.lookupId(), HASHER.hash(p.reveal().getBytes(StandardCharsets.UTF_8)));
        MigrationUpgradeTest.insertVersion1Row(ds, dialect, table, stored);
        plaintexts.add(p);
        rows.add(stored);
      }

      try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(tableName).build();
          BlnkAuth node =
              BlnkAuth.builder()
                  .store(store)
                  .masterKey(Nodes.MASTER_KEY)
                  .hasher(HASHER)
                  .allowNonExpiringKeys(true)
                  .listener(io.blnk.auth.AuthListener.none())
                  .build()) {
        assertThat(JdbcKeyStore.migrate(ds, tableName)).isEqualTo(JdbcKeyStore.latestSchemaVersion()); // 3, then 4 (usage) on top
        for (int i = 0; i < rows.size(); i++) {
          ApiKey before = rows.get(i).key();
          assertThat(store.findById(before.id())).as("every field kept").contains(before);
          assertThat(store.findByDigest(digest(plaintexts.get(i)))).as("no digest before use").isEmpty();
          AuthResult result = node.authenticate(plaintexts.get(i).reveal(), "");
          assertThat(result.granted()).as("key %d still authenticates", i).isTrue();
          assertThat(store.findByDigest(digest(plaintexts.get(i))).map(s -> s.key().id()))
              .as("digest recorded on first verification")
              .contains(before.id());
          assertThat(before.status(Instant.now())).isEqualTo(KeyStatus.ACTIVE);
        }

        String first = rows.get(0).key().id().value();
        node.keys().disable(BlnkPrincipal.master(), first, KeyQuery.anyOwner()).orElseThrow();
        assertThat(node.authenticate(plaintexts.get(0).reveal(), ""))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_DISABLED_API_KEY));
        node.keys().enable(BlnkPrincipal.master(), first, KeyQuery.anyOwner()).orElseThrow();
        node.keys()
            .update(
                BlnkPrincipal.master(),
                first,
                KeyQuery.anyOwner(),
                KeyUpdate.builder().metaData("{\"upgraded\": true}").allowedIps(List.of("10.0.0.0/8")).build()).orElseThrow();
        assertThat(node.authenticate(plaintexts.get(0).reveal(), "10.1.2.3").granted()).isTrue();
        assertThat(node.authenticate(plaintexts.get(0).reveal(), "192.0.2.1"))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_IP_NOT_ALLOWED));

        // Row 2 was created by row 0: a cascade from row 0 takes it too.
        node.keys().revoke(BlnkPrincipal.master(), first, KeyQuery.anyOwner(), true).orElseThrow();
        assertThat(node.authenticate(plaintexts.get(2).reveal(), "").granted()).isFalse();
        assertThat(node.authenticate(plaintexts.get(3).reveal(), "").granted()).isTrue();

        // A leak report finds a never-verified-here key by its digest recorded above.
        assertThat(node.keys().reportLeaked(plaintexts.get(4).reveal(), LeakAction.REVOKE, "test").actionTaken())
            .isTrue();
        assertThat(node.authenticate(plaintexts.get(4).reveal(), "").granted()).isFalse();
      }
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  private static ApiKeyId rowsId(List<StoredKey> rows, int i) {
    return rows.get(i).key().id();
  }

  private static String digest(PlaintextKey p) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(p.reveal().getBytes(StandardCharsets.UTF_8)));
  }

  /** What versions 1 and 2 of this library left behind: their scripts and version rows. */
  private static void createVersion2(DataSource ds, Dialect dialect, TableName table)
      throws Exception {
    String versions = table.sibling("_schema_version");
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      for (int v = 0; v < 2; v++) {
        Migrations.Script script = Migrations.Set.KEYS.scripts.get(v);
        assertThat(script.version()).isEqualTo(v + 1);
        for (String sql : Migrations.statements(dialect, Migrations.Set.KEYS, script, table)) {
          s.execute(sql);
        }
      }
      s.execute(
          "CREATE TABLE " + versions + " (version INT NOT NULL PRIMARY KEY,"
              + " description VARCHAR(200) NOT NULL)");
      s.execute("INSERT INTO " + versions + " (version, description) VALUES (1, 'api keys table')");
      s.execute(
          "INSERT INTO " + versions + " (version, description) VALUES (2, 'per-owner lock for the active key limit')");
    }
  }
}
