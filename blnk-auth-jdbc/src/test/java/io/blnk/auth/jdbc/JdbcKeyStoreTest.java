package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStoreContract.RecordingListener;
import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.store.StoredKey;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the JDBC store promises beyond the store contract. */
@SuppressWarnings("try") // resources held open by try-with-resources, unreferenced
final class JdbcKeyStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-11T10:15:30.123456Z");

  @ParameterizedTest
  @CsvSource({
    "PostgreSQL, POSTGRESQL",
    "MariaDB, MARIADB",
    "MySQL, MARIADB",
    "H2, H2",
  })
  void the_dialect_follows_the_product_name(String product, Dialect dialect) {
    assertThat(Dialect.forProductName(product)).contains(dialect);
  }

  @Test
  void an_unknown_product_has_no_dialect() {
    assertThat(Dialect.forProductName("Oracle")).isEmpty();
  }

  @Test
  void the_dialect_is_detected_from_the_database() {
    try (JdbcKeyStore store = JdbcKeyStore.builder(TestDatabases.h2()).build()) {
      assertThat(store.dialect()).isEqualTo(Dialect.H2);
      assertThat(store.toString()).isEqualTo("JdbcKeyStore[H2, blnk_api_keys]");
    }
  }

  @Test
  void a_listener_that_throws_does_not_stop_the_feed() throws Exception {
    try (JdbcKeyStore store = fastStore(TestDatabases.h2())) {
      StoredKey a = key("a");
      StoredKey b = key("b");
      store.insert(a);
      store.insert(b);
      AtomicInteger calls = new AtomicInteger();
      KeyChangeListener throwing =
          id -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener failure (expected by the test)");
          };
      RecordingListener listener = new RecordingListener();
      try (AutoCloseable s1 = store.subscribe(throwing);
          AutoCloseable s2 = store.subscribe(listener)) {
        store.revoke(a.key().id(), T0);
        assertThat(listener.awaitChange(Duration.ofSeconds(10))).contains(a.key().id());
        store.revoke(b.key().id(), T0);
        assertThat(listener.awaitChange(Duration.ofSeconds(10))).contains(b.key().id());
      }
      assertThat(calls.get()).isEqualTo(2);
    }
  }

  @Test
  void closing_the_store_stops_its_feed_thread() throws Exception {
    JdbcKeyStore store = fastStore(TestDatabases.h2());
    store.subscribe(new RecordingListener());
    assertThat(feedThreads()).isEqualTo(1);

    store.close();
    store.close();

    assertThat(feedThreads()).isZero();
    assertThatThrownBy(() -> store.subscribe(new RecordingListener()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void the_feed_thread_starts_with_the_first_subscription_only() throws Exception {
    try (JdbcKeyStore store = fastStore(TestDatabases.h2())) {
      assertThat(feedThreads()).isZero();
      try (AutoCloseable s1 = store.subscribe(new RecordingListener());
          AutoCloseable s2 = store.subscribe(new RecordingListener())) {
        Thread feed = feedThread().orElseThrow();
        assertThat(feed.isDaemon()).isTrue();
        assertThat(feed.getName()).isEqualTo("blnk-auth-key-feed[blnk_api_keys]");
        assertThat(feedThreads()).isEqualTo(1);
      }
    }
  }

  @Test
  void an_unreachable_database_throws_store_unavailable_from_every_method() {
    FlakyDataSource ds = new FlakyDataSource(TestDatabases.h2());
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).build()) {
      StoredKey k = key("k");
      store.insert(k);
      ds.breakDown();
      ApiKeyId id = k.key().id();
      assertUnavailable(() -> store.insert(key("other")), "insert");
      assertUnavailable(() -> store.findByLookupId(k.lookupId()), "findByLookupId");
      assertUnavailable(() -> store.findById(id), "findById");
      assertUnavailable(() -> store.listByOwner(OwnerId.of("o")), "listByOwner");
      assertUnavailable(() -> store.revoke(id, T0), "revoke");
      assertUnavailable(() -> store.rotate(key("new"), id, T0, T0, Integer.MAX_VALUE), "rotate");
      assertUnavailable(() -> store.replaceHash(id, "a", "b"), "replaceHash");
      assertUnavailable(() -> store.recordLastUsed(java.util.Map.of(id, T0)), "recordLastUsed");
    }
  }

  @Test
  void building_on_an_unreachable_database_throws_store_unavailable() {
    FlakyDataSource ds = new FlakyDataSource(TestDatabases.h2());
    ds.breakDown();
    assertThatThrownBy(() -> JdbcKeyStore.builder(ds).build())
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void failure_messages_never_quote_row_data() {
    SQLException unique =
        new SQLException(
            "ERROR: duplicate key value violates unique constraint \"k_lookup_id_key\"\n"
                + "  Detail: Key (lookup_id)=(AbCdEfGh12345678) already exists.",
            "23505");
    SQLException notNull =
        new SQLException(
            "ERROR: null value in column \"name\" violates not-null constraint"
                + " Detail: Failing row contains (api_key_x, AbCd, $argon2id$secret-hash).",
            "23502");
    SQLException other =
        new SQLException("Connection refused. Detail: Key (x)=(y)\nmore", "08001");

    assertThat(Failures.unavailable("insert", unique).getMessage())
        .doesNotContain("AbCdEfGh12345678")
        .startsWith("insert:");
    assertThat(Failures.unavailable("insert", unique).getCause()).isNull();
    assertThat(Failures.unavailable("insert", notNull).getMessage()).doesNotContain("secret-hash");
    assertThat(Failures.unavailable("findById", other).getMessage())
        .isEqualTo("findById: SQLException [SQLState 08001]: Connection refused.");
  }

  @Test
  void scopes_are_stored_as_canonical_text_separated_by_spaces() {
    ScopeSet scopes = ScopeSet.of(Scope.parse("ledgers:read"), Scope.parse("*:*"));
    assertThat(JdbcKeyStore.scopesText(scopes)).isEqualTo("ledgers:read *:*");
    assertThat(JdbcKeyStore.parseScopes("ledgers:read *:*")).isEqualTo(scopes);
    assertThat(JdbcKeyStore.parseScopes("")).isEqualTo(ScopeSet.EMPTY);
  }

  @Test
  void the_poll_interval_must_be_positive() {
    assertThatThrownBy(
            () -> JdbcKeyStore.builder(TestDatabases.h2()).pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertUnavailable(Runnable call, String operation) {
    assertThatThrownBy(call::run)
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> assertThat(((StoreUnavailableException) e).operation()).isEqualTo(operation));
  }

  private static JdbcKeyStore fastStore(DataSource ds) {
    return JdbcKeyStore.builder(ds).pollInterval(Duration.ofMillis(20)).build();
  }

  private static long feedThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("blnk-auth-key-feed[blnk_api_keys]"))
        .count();
  }

  private static Optional<Thread> feedThread() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("blnk-auth-key-feed[blnk_api_keys]"))
        .findFirst();
  }

  private static StoredKey key(String name) {
    ApiKey k =
        new ApiKey(
            ApiKeyId.random(),
            name,
            OwnerId.of("o"),
            ScopeSet.of(Scope.parse("ledgers:read")),
            Optional.empty(),
            T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "blnk_" + name);
    return new StoredKey(k, ApiKeyId.random().value().substring(8, 24), "h");
  }
}
