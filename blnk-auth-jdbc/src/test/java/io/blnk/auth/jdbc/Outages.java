package io.blnk.auth.jdbc;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The two ways the outage tests take the store away while a node runs on it: an H2 data source
 * that hangs (a pool with no connection to give, or a dead network), and the real PostgreSQL
 * behind a TCP proxy that is blackholed (connections neither answer nor fail).
 */
final class Outages {

  /** An outage the test can start and end. */
  interface Outage {
    void start();

    void end();
  }

  /** What a test does with a store and the outage that takes it away. */
  interface Scenario {
    void run(JdbcKeyStore store, Outage outage) throws Exception;
  }

  private Outages() {}

  /** Runs {@code scenario} on H2 behind a data source that hangs when the outage starts. */
  static void hangingH2(Scenario scenario) throws Exception {
    HangingDataSource ds = new HangingDataSource(TestDatabases.h2());
    try (JdbcKeyStore store = JdbcKeyStore.builder(ds).build()) {
      scenario.run(
          store,
          new Outage() {
            @Override
            public void start() {
              ds.hang();
            }

            @Override
            public void end() {
              ds.release();
            }
          });
    }
  }

  /**
   * Runs {@code scenario} on the real PostgreSQL (a schema of its own) through a TCP proxy that is
   * blackholed when the outage starts.
   */
  static void unreachablePostgresql(String name, Scenario scenario) throws Exception {
    PGSimpleDataSource admin = TestDatabases.postgres(TestDatabases.uniqueName(name + "-admin"));
    String schema = TestDatabases.createSchema(admin);
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
      PGSimpleDataSource viaProxy = new PGSimpleDataSource();
      viaProxy.setServerNames(new String[] {"127.0.0.1"});
      viaProxy.setPortNumbers(new int[] {proxy.port()});
      viaProxy.setDatabaseName("test");
      viaProxy.setUser("postgres");
      viaProxy.setApplicationName(TestDatabases.uniqueName(name));
      viaProxy.setConnectTimeout(10); // longer than the store timeout: the guard must cut it short
      viaProxy.setSocketTimeout(20); // only so that a failed test cannot hang forever
      try (JdbcKeyStore store = JdbcKeyStore.builder(viaProxy).tableName(schema + ".keys").build()) {
        scenario.run(
            store,
            new Outage() {
              @Override
              public void start() {
                proxy.blackhole();
              }

              @Override
              public void end() {
                proxy.restore();
              }
            });
      }
    } finally {
      TestDatabases.dropSchema(admin, schema);
    }
  }
}
