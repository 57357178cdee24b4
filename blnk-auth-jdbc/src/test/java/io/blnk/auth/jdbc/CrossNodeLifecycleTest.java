package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.KeyUpdate;
import io.blnk.auth.scope.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two nodes, each with its own BlnkAuth and JdbcKeyStore, on one database: a disable, an update
 * narrowing a key's scopes, and a cascading revoke made through node A are refused by node B,
 * which had the keys cached, within the feed's bound (PostgreSQL LISTEN/NOTIFY: 1 s; MariaDB
 * polling every second: 5 s), like a revocation (see {@link CrossNodeRevocationTest}); and an
 * enable is seen again by B.
 */
final class CrossNodeLifecycleTest {

  private static final Duration POSTGRESQL_BOUND = Duration.ofSeconds(1);
  private static final Duration POLLING_BOUND = Duration.ofSeconds(5);

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "disable, postgresql",
    "disable, mariadb",
    "narrow, postgresql",
    "narrow, mariadb",
    "cascade, postgresql",
    "cascade, mariadb",
  })
  void a_change_on_one_node_is_refused_by_another_node_within_the_feeds_bound(
      String change, String database) throws Exception {
    Duration bound = database.equals("postgresql") ? POSTGRESQL_BOUND : POLLING_BOUND;
    ReusingDataSource ds =
        new ReusingDataSource(
            TestDatabases.forName(database, TestDatabases.uniqueName("blnk-xnode-life")), 8);
    String schema = TestDatabases.createSchema(ds);
    String table = schema + ".keys";
    try (JdbcKeyStore storeA = JdbcKeyStore.builder(ds).tableName(table).build();
        JdbcKeyStore storeB = JdbcKeyStore.builder(ds).tableName(table).build();
        BlnkAuth nodeA = Nodes.node(storeA);
        BlnkAuth nodeB = Nodes.node(storeB)) {
      Optional<Resource> ledgers = nodeB.registry().find("ledgers");
      CreatedKey root = Nodes.createKey(nodeA, "owner", Instant.now());
      // For the cascade: a grandchild of root, created through the keys below it.
      CreatedKey child = delegated(nodeA, root, Duration.ofHours(12), "ledgers:read");
      CreatedKey grandchild = delegated(nodeA, child, Duration.ofHours(6), "ledgers:read");
      CreatedKey watched = change.equals("cascade") ? grandchild : root;
      String plaintext = watched.plaintext().reveal();
      assertThat(nodeB.decide(plaintext, ledgers, "GET", "").granted()).isTrue();
      assertThat(nodeB.decide(plaintext, ledgers, "GET", "").granted()).as("cached on B").isTrue();

      String id = root.apiKey().id().value();
      ErrorCode expected;
      switch (change) {
        case "disable" -> {
          nodeA.keys().disable(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
          expected = ErrorCode.AUTH_DISABLED_API_KEY;
        }
        case "narrow" -> {
          nodeA.keys()
              .update(
                  BlnkPrincipal.master(),
                  id,
                  KeyQuery.anyOwner(),
                  KeyUpdate.builder().scopes("transactions:write").build()).orElseThrow();
          expected = ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS;
        }
        default -> {
          nodeA.keys().revoke(BlnkPrincipal.master(), id, KeyQuery.anyOwner(), true).orElseThrow();
          expected = ErrorCode.AUTH_EXPIRED_API_KEY;
        }
      }
      long changedAt = System.nanoTime();
      assertThat(nodeA.decide(plaintext, ledgers, "GET", "").granted()).as("refused on A at once").isFalse();

      AuthResult onB = awaitRefusal(nodeB, plaintext, ledgers, bound, changedAt);
      assertThat(onB.granted()).as("refused on B within " + bound).isFalse();
      assertThat(((AuthResult.Denied) onB).code()).isEqualTo(expected);
      System.out.printf(
          "cross-node %s on %s: refused on B after %.1f ms%n",
          change, database, (System.nanoTime() - changedAt) / 1e6);

      if (change.equals("disable")) {
        nodeA.keys().enable(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
        long enabledAt = System.nanoTime();
        AuthResult again;
        do {
          again = nodeB.decide(plaintext, ledgers, "GET", "");
          if (!again.granted()) {
            Thread.sleep(1);
          }
        } while (!again.granted() && System.nanoTime() - enabledAt < bound.toNanos());
        assertThat(again.granted()).as("accepted again on B within " + bound).isTrue();
      }
    } finally {
      TestDatabases.dropSchema(ds, schema);
      ds.close();
    }
  }

  private static AuthResult awaitRefusal(
      BlnkAuth node, String plaintext, Optional<Resource> resource, Duration bound, long since)
      throws InterruptedException {
    AuthResult result;
    do {
      result = node.decide(plaintext, resource, "GET", "");
      if (result.granted()) {
        Thread.sleep(1);
      }
    } while (result.granted() && System.nanoTime() - since < bound.toNanos());
    return result;
  }

  /** A key created by {@code creator} (as its principal), of the creator's owner. */
  private static CreatedKey delegated(
      BlnkAuth node, CreatedKey creator, Duration lifetime, String... scopes) {
    BlnkPrincipal p =
        ((AuthResult.Granted) node.authenticate(creator.plaintext().reveal(), "")).principal();
    return node.keys()
        .create(
            p,
            CreateKeyRequest.builder()
                .name("delegated")
                .scopes(List.of(scopes))
                .expiresAt(Instant.now().plus(lifetime))
                .build()).orElseThrow();
  }
}
