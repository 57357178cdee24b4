package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Scope;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyStoreContract.RecordingListener;
import io.blnk.auth.store.StoredKey;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * A host on H2 (or MariaDB) needs no PostgreSQL driver: the store, its migrations and its feed run
 * in a class loader that has every jar of the test class path except the PostgreSQL driver.
 */
final class WithoutPostgresDriverTest {

  @Test
  void the_store_and_its_feed_run_without_the_postgresql_driver() throws Exception {
    List<URL> urls = new ArrayList<>();
    String path =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !entry.contains("postgresql")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader isolated =
        new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      @SuppressWarnings("unchecked")
      Class<? extends Callable<String>> scenario =
          (Class<? extends Callable<String>>) isolated.loadClass(Scenario.class.getName());
      assertThat(scenario.getClassLoader()).isSameAs(isolated);

      String outcome = scenario.getDeclaredConstructor().newInstance().call();

      assertThat(outcome).isEqualTo("driver absent; revocation delivered");
    }
  }

  /** Runs inside the isolated class loader. */
  @SuppressWarnings("try") // the subscription is held open, unreferenced
  public static final class Scenario implements Callable<String> {
    @Override
    public String call() throws Exception {
      try {
        Class.forName("org.postgresql.Driver");
        return "the PostgreSQL driver is visible: the test is not isolated";
      } catch (ClassNotFoundException expected) {
        // as intended
      }
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:nopg" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
      try (JdbcKeyStore store =
          JdbcKeyStore.builder(ds).pollInterval(Duration.ofMillis(20)).build()) {
        ApiKey key =
            new ApiKey(
                ApiKeyId.random(),
                "k",
                OwnerId.of("o"),
                ScopeSet.of(Scope.ALL),
                Optional.empty(),
                Instant.now(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                "blnk_abcdefgh");
        store.insert(new StoredKey(key, "abcdefgh12345678", "h"));
        RecordingListener listener = new RecordingListener();
        try (AutoCloseable subscription = store.subscribe(listener)) {
          store.revoke(key.id(), Instant.now());
          return listener.awaitChange(Duration.ofSeconds(10)).equals(Optional.of(key.id()))
              ? "driver absent; revocation delivered"
              : "revocation not delivered";
        }
      }
    }
  }
}
