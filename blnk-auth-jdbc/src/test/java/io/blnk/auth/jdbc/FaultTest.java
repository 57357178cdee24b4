package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.store.KeyStoreContract.RecordingListener;
import io.blnk.auth.store.StoreUnavailableException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store failing: an unreachable database never grants and never says "invalid key"; cached
 * keys work until their TTL; everything recovers by itself; nothing is half-written; the feed
 * survives its connection being killed.
 */
@SuppressWarnings("try") // resources held open by try-with-resources, unreferenced
final class FaultTest {

  private static final Duration TTL = Duration.ofSeconds(60);

  @Test
  void an_unreachable_database_means_store_unavailable_until_it_returns() {
    FlakyDataSource ds = new FlakyDataSource(TestDatabases.h2());
    Nodes.ManualClock clock = new Nodes.ManualClock(Instant.parse("2026-03-11T10:00:00Z"));
    try (JdbcKeyStore store =
            JdbcKeyStore.builder(ds).pollInterval(Duration.ofMillis(50)).build();
        BlnkAuth node =
            BlnkAuth.builder()
                .store(store)
                .masterKey(Nodes.MASTER_KEY)
                .hasher(io.blnk.auth.key.KeyHasher.hmacSha256(new byte[32]))
                .listener(io.blnk.auth.AuthListener.none())
                .clock(clock)
                .cacheTtl(TTL)
                .build()) {
      CreatedKey cached = Nodes.createKey(node, "acme", clock.instant());
      CreatedKey uncached = Nodes.createKey(node, "acme", clock.instant());
      String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
      assertThat(node.authenticate(cached.plaintext().reveal(), "").granted()).isTrue();

      ds.breakDown();

      assertDenied(node.authenticate(uncached.plaintext().reveal(), ""), ErrorCode.AUTH_STORE_UNAVAILABLE);
      assertDenied(node.authenticate(unknown, ""), ErrorCode.AUTH_STORE_UNAVAILABLE);
      assertThat(node.authenticate(cached.plaintext().reveal(), "").granted())
          .as("a cached key keeps working while its entry lives")
          .isTrue();
      assertThatThrownBy(() -> Nodes.createKey(node, "acme", clock.instant()))
          .isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(
              () ->
                  node.keys()
                      .revoke(BlnkPrincipal.master(), uncached.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow())
          .isInstanceOf(StoreUnavailableException.class);

      clock.advance(TTL.plusSeconds(1));
      assertDenied(node.authenticate(cached.plaintext().reveal(), ""), ErrorCode.AUTH_STORE_UNAVAILABLE);

      ds.heal();
      clock.advance(Duration.ofSeconds(2)); // past the store circuit's retry-after

      assertThat(node.authenticate(cached.plaintext().reveal(), "").granted()).isTrue();
      assertThat(node.authenticate(uncached.plaintext().reveal(), "").granted()).isTrue();
      assertDenied(node.authenticate(unknown, ""), ErrorCode.AUTH_INVALID_API_KEY);
      assertThat(node.keys().list(BlnkPrincipal.master(), KeyQuery.owner("acme")).orElseThrow())
          .as("the create that failed left nothing behind")
          .hasSize(2);
    }
  }

  @Test
  void a_create_whose_commit_fails_leaves_nothing_behind() throws Exception {
    DataSource h2 = TestDatabases.h2();
    FlakyDataSource ds = new FlakyDataSource(h2);
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).build();
        BlnkAuth node = Nodes.node(store)) {
      Nodes.createKey(node, "acme", Instant.now());

      ds.failCommits();
      assertThatThrownBy(() -> Nodes.createKey(node, "acme", Instant.now()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("insert:");
      ds.heal();

      // Straight from the store: the node's circuit stays open for its retry-after.
      assertThat(store.listByOwner(io.blnk.auth.key.OwnerId.of("acme"))).hasSize(1);
      try (Connection c = h2.getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM blnk_api_keys");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void the_feed_reconnects_after_its_postgresql_connections_are_killed() throws Exception {
    String appName = TestDatabases.uniqueName("blnk-kill");
    PGSimpleDataSource victim = TestDatabases.postgres(appName);
    PGSimpleDataSource other = TestDatabases.postgres(TestDatabases.uniqueName("blnk-survivor"));
    String schema = TestDatabases.createSchema(other);
    String table = schema + ".keys";
    try (JdbcKeyStore storeA = JdbcKeyStore.builder(other).tableName(table).build();
        JdbcKeyStore storeB = JdbcKeyStore.builder(victim).tableName(table).build();
        BlnkAuth nodeA = Nodes.node(storeA);
        BlnkAuth nodeB = Nodes.node(storeB)) {
      RecordingListener heard = new RecordingListener();
      try (AutoCloseable subscription = storeB.subscribe(heard)) {
        CreatedKey key = Nodes.createKey(nodeA, "acme", Instant.now());
        String plaintext = key.plaintext().reveal();
        assertThat(nodeB.authenticate(plaintext, "").granted()).isTrue();

        int killed = terminate(other, appName);
        assertThat(killed).as("backends terminated").isGreaterThanOrEqualTo(1);

        nodeA.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

        assertThat(heard.awaitChange(Duration.ofSeconds(10))).contains(key.apiKey().id());
        assertThat(heard.missedCount())
            .as("a reconnect catches up from the change sequence instead of dropping everything")
            .isZero();
        assertDenied(nodeB.authenticate(plaintext, ""), ErrorCode.AUTH_EXPIRED_API_KEY);
      }
    } finally {
      TestDatabases.dropSchema(other, schema);
    }
  }

  @Test
  void the_polling_feed_catches_up_after_the_database_returns() throws Exception {
    DataSource h2 = TestDatabases.h2();
    FlakyDataSource flaky = new FlakyDataSource(h2);
    try (JdbcKeyStore healthy = JdbcKeyStore.builder(h2).build();
        JdbcKeyStore cutOff =
            JdbcKeyStore.builder(flaky).pollInterval(Duration.ofMillis(20)).build();
        BlnkAuth node = Nodes.node(healthy)) {
      CreatedKey key = Nodes.createKey(node, "acme", Instant.now());
      RecordingListener heard = new RecordingListener();
      try (AutoCloseable subscription = cutOff.subscribe(heard)) {
        flaky.breakDown();
        waitUntil(() -> flaky.refusedConnections() > 0); // the feed lost its connection
        node.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

        flaky.heal();

        assertThat(heard.awaitChange(Duration.ofSeconds(10)))
            .as("the revocation made while the feed was cut off")
            .contains(key.apiKey().id());
        assertThat(heard.missedCount()).as("caught up, nothing missed").isZero();
      }
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static int terminate(DataSource admin, String applicationName) throws Exception {
    try (Connection c = admin.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'test'"
                    + " AND pid <> pg_backend_pid() AND application_name = ?")) {
      ps.setString(1, applicationName);
      int count = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          count += rs.getBoolean(1) ? 1 : 0;
        }
      }
      return count;
    }
  }

  private static void assertDenied(AuthResult result, ErrorCode code) {
    assertThat(result.granted()).isFalse();
    assertThat(((AuthResult.Denied) result).code()).isEqualTo(code);
  }
}
