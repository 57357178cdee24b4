package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.store.StoredKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit table: every event written, no secret ever, a full queue drops instead of blocking. */
final class JdbcAuditListenerTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void events_are_written_without_secrets(String database) throws Exception {
    DataSource ds = TestDatabases.forName(database, "blnk-audit");
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String prefix = schema == null ? "" : schema + ".";
    List<String> secrets = new ArrayList<>();
    try {
      JdbcAuditListener audit =
          JdbcAuditListener.builder(ds).tableName(prefix + "events").build();
      try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(prefix + "keys").build();
          BlnkAuth node =
              Nodes.builder(store)
                  .listener(audit)
                  .build()) {
        CreatedKey key = Nodes.createKey(node, "acme", Instant.now());
        String plaintext = key.plaintext().reveal();
        secrets.add(plaintext);
        secrets.add(Nodes.MASTER_KEY);
        StoredKey stored = store.findByLookupId(key.plaintext().lookupId()).orElseThrow();
        secrets.add(stored.keyHash());
        String wrong = plaintext.substring(0, plaintext.length() - 8) + "AAAAAAAA";
        secrets.add(wrong);

        assertThat(node.authenticate(plaintext, "10.0.0.1").granted()).isTrue();
        assertThat(node.authenticate(wrong, "10.0.0.2").granted()).isFalse();
        assertThat(node.authenticate(Nodes.MASTER_KEY, "10.0.0.3").granted()).isTrue();
        node.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
      } finally {
        audit.close();
      }

      assertThat(audit.droppedEvents()).isZero();
      assertThat(audit.failedEvents()).isZero();
      List<List<String>> rows = rows(ds, "SELECT * FROM " + prefix + "events ORDER BY event_id");
      assertThat(rows).hasSize((int) audit.writtenEvents());
      List<String> types = new ArrayList<>();
      for (List<String> row : rows) {
        types.add(row.get(1));
        for (String value : row) {
          for (String secret : secrets) {
            assertThat(value).as("no secret in the audit table").doesNotContain(secret);
          }
        }
      }
      assertThat(types)
          .containsExactly(
              AuthEvent.Type.KEY_CREATED.name(),
              AuthEvent.Type.AUTH_SUCCEEDED.name(),
              AuthEvent.Type.AUTH_FAILED.name(),
              AuthEvent.Type.AUTH_SUCCEEDED.name(),
              AuthEvent.Type.KEY_REVOKED.name());
      assertThat(rows.get(2)).contains(ErrorCode.AUTH_INVALID_API_KEY.name(), "10.0.0.2");
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void lifecycle_events_are_written_with_their_key_and_without_secrets(String database)
      throws Exception {
    DataSource ds = TestDatabases.forName(database, "blnk-audit-life");
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String prefix = schema == null ? "" : schema + ".";
    List<String> secrets = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try {
      JdbcAuditListener audit =
          JdbcAuditListener.builder(ds)
              .tableName(prefix + "events")
              .build();
      try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(prefix + "keys").build();
          BlnkAuth node =
              Nodes.builder(store)
                  .listener(audit)
                  .build()) {
        CreatedKey root = Nodes.createKey(node, "acme", Instant.now());
        CreatedKey other = Nodes.createKey(node, "acme", Instant.now());
        secrets.add(root.plaintext().reveal());
        secrets.add(other.plaintext().reveal());
        secrets.add(root.plaintext().lookupId());
        String id = root.apiKey().id().value();
        ids.add(id);
        BlnkPrincipal master = BlnkPrincipal.master();
        node.keys()
            .update(master, id, KeyQuery.anyOwner(), io.blnk.auth.KeyUpdate.builder().name("renamed").build()).orElseThrow();
        node.keys().disable(master, id, KeyQuery.anyOwner()).orElseThrow();
        node.keys().enable(master, id, KeyQuery.anyOwner()).orElseThrow();
        node.keys().revoke(master, id, KeyQuery.anyOwner(), true).orElseThrow();
        node.keys().reportLeaked(other.plaintext().reveal(), io.blnk.auth.LeakAction.DISABLE, "github");
      } finally {
        audit.close();
      }

      List<List<String>> rows = rows(ds, "SELECT * FROM " + prefix + "events ORDER BY event_id");
      List<String> types = new ArrayList<>();
      for (List<String> row : rows) {
        types.add(row.get(1));
        for (String value : row) {
          for (String secret : secrets) {
            assertThat(value).as("no secret in the audit table").doesNotContain(secret);
          }
        }
      }
      assertThat(types)
          .containsExactly(
              AuthEvent.Type.KEY_CREATED.name(),
              AuthEvent.Type.KEY_CREATED.name(),
              AuthEvent.Type.KEY_UPDATED.name(),
              AuthEvent.Type.KEY_DISABLED.name(),
              AuthEvent.Type.KEY_ENABLED.name(),
              AuthEvent.Type.KEY_REVOKED.name(),
              AuthEvent.Type.KEY_LEAKED.name(),
              AuthEvent.Type.KEY_DISABLED.name());
      assertThat(rows.get(2)).contains(ids.get(0), "fields=name by=master");
      assertThat(rows.get(6)).contains("action=disable by=leak-report:github");
    } finally {
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
    }
  }

  @Test
  void a_full_queue_drops_and_counts_instead_of_blocking() {
    DataSource h2 = TestDatabases.h2();
    JdbcAuditListener.migrate(h2, JdbcAuditListener.DEFAULT_TABLE_NAME);
    BlockingDataSource blocking = new BlockingDataSource(h2);
    JdbcAuditListener audit =
        JdbcAuditListener.builder(blocking)
            .dialect(Dialect.H2)
            .migrate(false)
            .queueCapacity(10)
            .build();
    try {
      audit.onEvent(event(0));
      blocking.awaitWriterInside();
      for (int i = 1; i <= 15; i++) {
        audit.onEvent(event(i));
      }
      assertThat(audit.droppedEvents()).isEqualTo(5);
    } finally {
      blocking.release();
      audit.close();
    }
    assertThat(audit.writtenEvents()).isEqualTo(11);
  }

  /**
   * Events are stored in the order they were accepted, also when {@code flush()} runs while the
   * writer thread holds an event it has just taken (CI once saw the first event stored last).
   * Only the writer writes while it runs; a second writer is what reorders.
   */
  @Test
  void events_keep_their_order_because_only_the_writer_thread_writes_while_it_runs() throws Exception {
    DataSource h2 = TestDatabases.h2();
    JdbcAuditListener.migrate(h2, JdbcAuditListener.DEFAULT_TABLE_NAME);
    Set<String> writingThreads = ConcurrentHashMap.newKeySet();
    DataSource recording =
        new ForwardingDataSource(h2) {
          @Override
          public Connection getConnection() throws SQLException {
            writingThreads.add(Thread.currentThread().getName());
            return super.getConnection();
          }
        };
    List<String> accepted = new ArrayList<>();
    try (JdbcAuditListener audit =
        JdbcAuditListener.builder(recording).dialect(Dialect.H2).migrate(false).build()) {
      for (int round = 0; round < 100; round++) {
        for (int i = 0; i < 7; i++) {
          audit.onEvent(event(round * 7 + i));
          accepted.add("blnk_" + (round * 7 + i));
        }
        audit.flush();
        assertThat(audit.writtenEvents()).isEqualTo(accepted.size());
      }
      assertThat(writingThreads).singleElement().asString().startsWith("blnk-auth-audit[");
    }
    List<String> stored = new ArrayList<>();
    for (List<String> row :
        rows(h2, "SELECT key_hint FROM " + JdbcAuditListener.DEFAULT_TABLE_NAME + " ORDER BY event_id")) {
      stored.add(row.get(0));
    }
    assertThat(stored).containsExactlyElementsOf(accepted);
  }

  @Test
  void long_texts_are_cut_to_their_columns_without_splitting_characters() {
    assertThat(JdbcAuditListener.cut("abc", 5)).isEqualTo("abc");
    assertThat(JdbcAuditListener.cut("abcdef", 5)).isEqualTo("abcde");
    assertThat(JdbcAuditListener.cut("abcd🔑", 5)).isEqualTo("abcd");
    DataSource h2 = TestDatabases.h2();
    try (JdbcAuditListener audit = JdbcAuditListener.builder(h2).build()) {
      audit.onEvent(
          new AuthEvent(
              AuthEvent.Type.PERMISSION_DENIED,
              Instant.now(),
              Optional.empty(),
              Optional.empty(),
              Optional.of(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS),
              "k".repeat(500),
              "r".repeat(500),
              "d".repeat(5000)));
      audit.flush();
      assertThat(audit.writtenEvents()).isEqualTo(1);
    }
  }

  private static AuthEvent event(int i) {
    return new AuthEvent(
        AuthEvent.Type.AUTH_FAILED,
        Instant.now(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(ErrorCode.AUTH_INVALID_API_KEY),
        "blnk_" + i,
        "",
        "");
  }

  private static List<List<String>> rows(DataSource ds, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String v = rs.getString(i);
          row.add(v == null ? "" : v);
        }
        out.add(row);
      }
    }
    return out;
  }

  /** Holds the first connection request until released, to keep the writer busy. */
  private static final class BlockingDataSource extends ForwardingDataSource {
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    BlockingDataSource(DataSource real) {
      super(real);
    }

    void awaitWriterInside() {
      try {
        inside.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    void release() {
      released.countDown();
    }

    @Override
    public Connection getConnection() throws SQLException {
      inside.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted");
      }
      return delegate().getConnection();
    }
  }
}
