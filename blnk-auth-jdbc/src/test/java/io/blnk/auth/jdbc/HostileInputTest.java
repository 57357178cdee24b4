package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyOutcome;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.TextRules;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names, owners and scopes full of SQL, quotes, unicode or sheer length are stored and returned
 * verbatim, or refused with {@code APIKEY_INVALID} where core limits them; never interpreted.
 */
final class HostileInputTest {

  private static final String TEN_KB = "x'; DROP TABLE keys; --".repeat(450);

  private static final List<String> TEXTS =
      List.of(
          "it's \"quoted\"",
          "semi; colon; DROP TABLE blnk_api_keys;",
          "' OR 1=1 --",
          "'; DELETE FROM keys WHERE '1'='1",
          "\\'; SELECT pg_sleep(10); --",
          "Robert'); DROP TABLE Students;--",
          "emoji 🔑🚀 and RTL שלום مرحبا",
          "emoji 🔑🚀 and RTL שלום مرحبا \u202Eevil", // a bidi override: refused (safe text)
          "%_ LIKE wildcards %",
          "${table} $1 ? :name",
          "n".repeat(255),
          TEN_KB);

  private static final List<String> SCOPES =
      List.of(
          "ledgers:read' OR 1=1 --",
          "ledgers:read; DROP TABLE keys",
          "' OR 1=1 --",
          "ledgers:read ",
          "ledgers:rëad",
          "x".repeat(10_240));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void hostile_text_is_stored_verbatim_or_refused(String database) throws Exception {
    DataSource ds = TestDatabases.forName(database, TestDatabases.uniqueName("blnk-hostile"));
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String table = schema == null ? "blnk_api_keys" : schema + ".keys";
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).build();
        BlnkAuth node = Nodes.node(store)) {
      int stored = 0;
      for (String text : TEXTS) {
        CreateKeyRequest request =
            CreateKeyRequest.builder()
                .name(text)
                .owner(text)
                .scopes("ledgers:read")
                .expiresAt(Instant.now().plus(Duration.ofDays(1)))
                .build();
        if (text.length() <= ApiKey.MAX_NAME_LENGTH && TextRules.unsafeCharacter(text).isEmpty()) {
          CreatedKey key = node.keys().create(BlnkPrincipal.master(), request).orElseThrow();
          stored++;
          List<ApiKey> listed = node.keys().list(BlnkPrincipal.master(), KeyQuery.owner(text)).orElseThrow();
          assertThat(listed).containsExactly(key.apiKey());
          assertThat(listed.get(0).name()).isEqualTo(text);
          assertThat(listed.get(0).ownerId().value()).isEqualTo(text);
          assertThat(node.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
        } else {
          KeyOutcome<CreatedKey> refused = node.keys().create(BlnkPrincipal.master(), request);
          assertThat(refused.refusal()).get().extracting(KeyOutcome.Refused::code).isEqualTo(ErrorCode.APIKEY_INVALID);
        }
      }
      for (String scope : SCOPES) {
        KeyOutcome<CreatedKey> refused =
            node.keys()
                .create(
                    BlnkPrincipal.master(),
                    CreateKeyRequest.builder()
                        .name("n")
                        .owner("o")
                        .scopes(scope)
                        .expiresAt(Instant.now().plus(Duration.ofDays(1)))
                        .build());
        assertThat(refused.refusal()).as(scope).get()
            .extracting(KeyOutcome.Refused::code).isEqualTo(ErrorCode.APIKEY_INVALID);
        assertThat(refused.refusal().get().message()).as(scope).startsWith("scopes: ");
      }
      KeyOutcome<List<ApiKey>> badOwner = node.keys().list(BlnkPrincipal.master(), KeyQuery.owner(TEN_KB));
      assertThat(badOwner.refusal()).get().extracting(KeyOutcome.Refused::code).isEqualTo(ErrorCode.APIKEY_INVALID);
      assertThat(badOwner.refusal().get().message()).startsWith("owner \"x';").contains(": invalid owner: ");
      assertThat(node.keys().list(BlnkPrincipal.master(), KeyQuery.owner("' OR '1'='1")).orElseThrow()).isEmpty();

      assertThat(rowCount(ds, table)).isEqualTo(stored);
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  private static int rowCount(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
