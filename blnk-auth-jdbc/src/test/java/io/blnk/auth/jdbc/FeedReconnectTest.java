package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthListener;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.key.PlaintextKey;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyStoreContract.RecordingListener;
import io.blnk.auth.store.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A feed reconnect costs no hash work: 10,000 keys cached on node B, B's feed connection killed by
 * the database (PostgreSQL {@code pg_terminate_backend}, MariaDB {@code KILL}) and kept from
 * reconnecting while node A revokes one key; once B's feed is back it catches up from the change
 * sequence: the revocation is delivered, nothing is reported missed, the 9,999 other keys are
 * answered from cache with 0 hash verifications, and the revoked key is refused.
 */
@SuppressWarnings("try")
final class FeedReconnectTest {

  private static final int KEYS = 10_000;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"postgresql", "mariadb"})
  void a_feed_reconnect_catches_up_without_rehashing_any_cached_key(String database)
      throws Exception {
    String appName = TestDatabases.uniqueName("blnk-reconnect");
    DataSource admin = TestDatabases.forName(database, TestDatabases.uniqueName("blnk-admin"));
    String schema = TestDatabases.createSchema(admin);
    String table = schema + ".keys";
    DataSource victimReal = victim(database, appName, schema);
    GateDataSource gate = new GateDataSource(victimReal);
    ReusingDataSource pooled = new ReusingDataSource(admin, 8);
    CountingHasher hasher = new CountingHasher(KeyHasher.hmacSha256(new byte[32]));
    Nodes.ManualClock clock = new Nodes.ManualClock(Instant.now().truncatedTo(ChronoUnit.MICROS));
    try (JdbcKeyStore storeA = JdbcKeyStore.builder(pooled).tableName(table).build();
        JdbcKeyStore storeB =
            JdbcKeyStore.builder(gate).tableName(table).pollInterval(Duration.ofMillis(100)).build();
        BlnkAuth nodeA = Nodes.node(storeA);
        BlnkAuth nodeB =
            BlnkAuth.builder()
                .store(storeB)
                .masterKey(Nodes.MASTER_KEY)
                .hasher(hasher)
                .listener(AuthListener.none())
                .clock(clock)
                // Not the point here: generous, so a loaded machine does not open the circuit.
                .storeTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1), 64)
                .build()) {
      List<String> plaintexts = insertKeys(storeA, hasher, clock.instant());
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        assertThat(authenticateAll(nodeB, plaintexts, pool)).isEqualTo(KEYS);
        assertThat(hasher.verifications.get()).isEqualTo(KEYS);
        RecordingListener heard = new RecordingListener();
        try (AutoCloseable s = storeB.subscribe(heard)) {
          gate.close();
          assertThat(kill(database, admin, appName, schema)).as("feed connections killed").isPositive();
          waitUntil(() -> gate.refused.get() > 0); // the feed is trying to reconnect, and cannot
          ApiKeyId revoked = revokeFirst(nodeA, storeA, plaintexts.get(0));

          gate.open();

          assertThat(heard.awaitChange(Duration.ofSeconds(20)))
              .as("the revocation made while the feed was cut")
              .contains(revoked);
          assertThat(heard.missedCount()).as("nothing reported missed").isZero();
        }
        int before = hasher.verifications.get();
        assertThat(authenticateAll(nodeB, plaintexts.subList(1, KEYS), pool)).isEqualTo(KEYS - 1);
        assertThat(hasher.verifications.get() - before)
            .as("hash verifications after the reconnect")
            .isZero();
        AuthResult r = nodeB.authenticate(plaintexts.get(0), "");
        assertThat(((AuthResult.Denied) r).code()).isEqualTo(ErrorCode.AUTH_EXPIRED_API_KEY);
      } finally {
        pool.shutdownNow();
      }
    } finally {
      pooled.close();
      TestDatabases.dropSchema(admin, schema);
    }
  }

  private static DataSource victim(String database, String appName, String schema)
      throws SQLException {
    if (database.equals("postgresql")) {
      return TestDatabases.postgres(appName);
    }
    // MariaDB has no application name: the victim's connections are the ones in its own database.
    MariaDbDataSource ds =
        new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/" + schema + "?connectTimeout=3000");
    ds.setUser("root");
    ds.setPassword("");
    return ds;
  }

  private static int kill(String database, DataSource admin, String appName, String schema)
      throws SQLException {
    int killed = 0;
    try (Connection c = admin.getConnection()) {
      if (database.equals("postgresql")) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'test'"
                    + " AND pid <> pg_backend_pid() AND application_name = ?")) {
          ps.setString(1, appName);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              killed += rs.getBoolean(1) ? 1 : 0;
            }
          }
        }
        return killed;
      }
      List<Long> ids = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
      for (long id : ids) {
        try (Statement s = c.createStatement()) {
          s.execute("KILL " + id);
          killed++;
        } catch (SQLException e) {
          // 1094 (unknown thread id): the connection closed by itself since it was listed.
          if (e.getErrorCode() != 1094) {
            throw e;
          }
        }
      }
      return killed;
    }
  }

  /** Stores KEYS keys straight through the store (hashing with the node's hasher). */
  private static List<String> insertKeys(JdbcKeyStore store, CountingHasher hasher, Instant now)
      throws Exception {
    SecureRandom random = new SecureRandom();
    List<String> plaintexts = new ArrayList<>();
    List<StoredKey> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      PlaintextKey p = KeyFormat.blnk().generate(random);
      ApiKey key =
          new ApiKey(
              ApiKeyId.random(),
              "k" + i,
              OwnerId.of("owner-" + (i % 100)),
              ScopeSet.of(Scope.parse("ledgers:read")),
              Optional.of(now.plus(Duration.ofDays(1))),
              now,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              p.displayPrefix());
      keys.add(new StoredKey(key, p.lookupId(), hasher.hash(p.reveal().getBytes(StandardCharsets.UTF_8))));
      plaintexts.add(p.reveal());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> inserted = new ArrayList<>();
      for (StoredKey k : keys) {
        inserted.add(pool.submit(() -> store.insert(k)));
      }
      for (Future<Boolean> f : inserted) {
        assertThat(f.get(120, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    return plaintexts;
  }

  private static int authenticateAll(BlnkAuth node, List<String> keys, ExecutorService pool)
      throws Exception {
    List<Future<Integer>> parts = new ArrayList<>();
    int slice = (keys.size() + 3) / 4;
    for (int from = 0; from < keys.size(); from += slice) {
      List<String> part = keys.subList(from, Math.min(keys.size(), from + slice));
      parts.add(
          pool.submit(
              () -> {
                int granted = 0;
                for (String k : part) {
                  granted += node.authenticate(k, "").granted() ? 1 : 0;
                }
                return granted;
              }));
    }
    int granted = 0;
    for (Future<Integer> f : parts) {
      granted += f.get(300, TimeUnit.SECONDS);
    }
    return granted;
  }

  private static ApiKeyId revokeFirst(BlnkAuth nodeA, JdbcKeyStore storeA, String plaintext) {
    String lookupId = KeyFormat.blnk().lookupId(plaintext);
    ApiKeyId id = storeA.findByLookupId(lookupId).orElseThrow().key().id();
    nodeA.keys().revoke(io.blnk.auth.BlnkPrincipal.master(), id.value(), KeyQuery.anyOwner()).orElseThrow();
    return id;
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /** Refuses new connections while closed; connections already handed out are left alone. */
  private static final class GateDataSource extends ForwardingDataSource {
    private volatile boolean closed;
    final AtomicInteger refused = new AtomicInteger();

    GateDataSource(DataSource real) {
      super(real);
    }

    void close() {
      closed = true;
    }

    void open() {
      closed = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (closed) {
        refused.incrementAndGet();
        throw new SQLTransientConnectionException("test: the network is cut", "08001");
      }
      return delegate().getConnection();
    }
  }

  /** Counts verifications. */
  static final class CountingHasher implements KeyHasher {
    private final KeyHasher delegate;
    final AtomicInteger verifications = new AtomicInteger();

    CountingHasher(KeyHasher delegate) {
      this.delegate = delegate;
    }

    @Override
    public String hash(byte[] key) {
      return delegate.hash(key);
    }

    @Override
    public boolean verify(String encoded, byte[] key) {
      verifications.incrementAndGet();
      return delegate.verify(encoded, key);
    }

    @Override
    public boolean needsRehash(String encoded) {
      return delegate.needsRehash(encoded);
    }
  }
}
