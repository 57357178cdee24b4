package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A key's events read back from the audit table: newest first, one key only, cursor pages. */
final class JdbcKeyEventLogTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void aKeysEventsArePagedNewestFirst(String database) {
    DataSource ds = TestDatabases.forName(database, "blnk-events");
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String prefix = schema == null ? "" : schema + ".";
    ApiKeyId mine = ApiKeyId.random();
    ApiKeyId other = ApiKeyId.random();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    try (JdbcAuditListener audit = JdbcAuditListener.builder(ds).tableName(prefix + "events").build()) {
      for (int i = 0; i < 7; i++) {
        audit.onEvent(event(mine, t0.plusSeconds(i), "detail " + i));
        audit.onEvent(event(other, t0.plusSeconds(i), "other " + i));
      }
      audit.flush();

      List<String> seen = new ArrayList<>();
      Optional<String> cursor = Optional.empty();
      int pages = 0;
      do {
        KeyEventLog.Page page = audit.eventsOf(mine, cursor, 3);
        assertThat(page.events()).hasSizeLessThanOrEqualTo(3);
        for (AuthEvent e : page.events()) {
          assertThat(e.apiKeyId()).contains(mine);
          assertThat(e.ownerId()).contains(OwnerId.of("acme"));
          assertThat(e.code()).contains(ErrorCode.AUTH_EXPIRED_API_KEY);
          seen.add(e.detail());
        }
        cursor = page.next();
        pages++;
      } while (cursor.isPresent());
      assertThat(pages).isEqualTo(3);
      assertThat(seen)
          .containsExactly("detail 6", "detail 5", "detail 4", "detail 3", "detail 2", "detail 1", "detail 0");
      assertThat(audit.eventsOf(mine, Optional.empty(), 7).next()).isEmpty();
      assertThat(audit.eventsOf(ApiKeyId.random(), Optional.empty(), 10).events()).isEmpty();
      assertThat(audit.eventsOf(mine, Optional.empty(), 1).events().get(0).at()).isEqualTo(t0.plusSeconds(6));

      for (String bad : List.of("", "x", "AAAAAAAAAAAA", "!!!!!!!!!!!!", "AQAAAAAAAAAA", "AgAAAAAAAAAB")) {
        assertThatThrownBy(() -> audit.eventsOf(mine, Optional.of(bad), 3))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("cursor");
      }
      assertThatThrownBy(() -> audit.eventsOf(mine, Optional.empty(), 0)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> audit.eventsOf(mine, Optional.empty(), KeyEventLog.MAX_LIMIT + 1))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  private static AuthEvent event(ApiKeyId key, Instant at, String detail) {
    return new AuthEvent(
        AuthEvent.Type.AUTH_FAILED,
        at,
        Optional.of(key),
        Optional.of(OwnerId.of("acme")),
        Optional.of(ErrorCode.AUTH_EXPIRED_API_KEY),
        "blnk_abcdefgh",
        "10.0.0.1",
        detail);
  }
}
