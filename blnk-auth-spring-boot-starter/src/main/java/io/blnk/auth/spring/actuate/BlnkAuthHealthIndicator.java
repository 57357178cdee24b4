package io.blnk.auth.spring.actuate;

import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoreUnavailableException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code blnkAuth} health: UP when the key store answers a lookup (one indexed read of a
 * lookup id no key has), DOWN with the failed operation when it does not. Details: {@code store}
 * ({@code reachable}/{@code unreachable}) and, for the JDBC store, {@code schemaVersion} (the
 * version this library migrates to) and {@code dialect}. Thread-safe.
 */
final class BlnkAuthHealthIndicator extends AbstractHealthIndicator {

  /** Sixteen characters of the lookup id alphabet that no issued key has (keys are random). */
  static final String PROBE_LOOKUP_ID = "0000000000000000";

  private final KeyStore store;

  BlnkAuthHealthIndicator(KeyStore store) {
    super("blnk-auth health check failed");
    this.store = store;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (store instanceof JdbcKeyStore jdbc) {
      builder.withDetail("schemaVersion", JdbcKeyStore.latestSchemaVersion());
      builder.withDetail("dialect", jdbc.dialect().toString());
    }
    try {
      store.findByLookupId(PROBE_LOOKUP_ID);
      builder.up().withDetail("store", "reachable");
    } catch (StoreUnavailableException e) {
      builder.down().withDetail("store", "unreachable").withDetail("operation", e.operation());
    }
  }
}
