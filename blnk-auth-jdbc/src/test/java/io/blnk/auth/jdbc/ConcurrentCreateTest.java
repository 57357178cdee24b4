package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.key.ApiKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 1,000 keys created by 16 threads at once are 1,000 distinct, readable, working keys. */
final class ConcurrentCreateTest {

  private static final int KEYS = 1_000;
  private static final int THREADS = 16;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"h2", "postgresql", "mariadb"})
  void concurrent_creates_give_distinct_readable_working_keys(String database) throws Exception {
    // Through a reusing "pool", as a host would run it: PostgreSQL starts a process per connection.
    ReusingDataSource ds =
        new ReusingDataSource(
            TestDatabases.forName(database, TestDatabases.uniqueName("blnk-concurrent")), THREADS);
    String schema = database.equals("h2") ? null : TestDatabases.createSchema(ds);
    String table = schema == null ? "blnk_api_keys" : schema + ".keys";
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).tableName(table).build();
        // One owner's creates queue behind its active-key count (a row lock); on a loaded machine
        // 16 of them can take longer than the 2 s default deadline, which StoreOutageTest covers.
        BlnkAuth node =
            Nodes.builder(store)
                .listener(AuthListener.none())
                .storeTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(2), THREADS * 2)
                .build()) {
      Instant now = Instant.now();
      long started = System.nanoTime();
      List<Future<CreatedKey>> futures = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        futures.add(pool.submit(() -> Nodes.createKey(node, "tenant", now)));
      }
      List<CreatedKey> created = new ArrayList<>();
      for (Future<CreatedKey> f : futures) {
        created.add(f.get());
      }

      long createdNanos = System.nanoTime() - started;
      Set<String> ids = new HashSet<>();
      Set<String> plaintexts = new HashSet<>();
      for (CreatedKey k : created) {
        ids.add(k.apiKey().id().value());
        plaintexts.add(k.plaintext().reveal());
      }
      assertThat(ids).hasSize(KEYS);
      assertThat(plaintexts).hasSize(KEYS);

      // Every key reads back exactly as it was created.
      List<ApiKey> listed = node.keys().list(BlnkPrincipal.master(), KeyQuery.owner("tenant")).orElseThrow();
      assertThat(listed).containsExactlyInAnyOrderElementsOf(created.stream().map(CreatedKey::apiKey).toList());
      assertThat(store.findById(created.get(KEYS / 2).apiKey().id()))
          .contains(created.get(KEYS / 2).apiKey());

      started = System.nanoTime();

      List<Future<Boolean>> auths = new ArrayList<>();
      for (CreatedKey k : created) {
        auths.add(pool.submit(() -> node.authenticate(k.plaintext().reveal(), "").granted()));
      }
      int granted = 0;
      for (Future<Boolean> f : auths) {
        granted += f.get() ? 1 : 0;
      }
      assertThat(granted).isEqualTo(KEYS);
      System.out.printf(
          "%s: %d concurrent creates in %d ms, %d first authentications in %d ms%n",
          database, KEYS, createdNanos / 1_000_000, KEYS, (System.nanoTime() - started) / 1_000_000);
    } finally {
      pool.shutdownNow();
      if (schema != null) {
        TestDatabases.dropSchema(ds, schema);
      }
      ds.close();
    }
  }
}
