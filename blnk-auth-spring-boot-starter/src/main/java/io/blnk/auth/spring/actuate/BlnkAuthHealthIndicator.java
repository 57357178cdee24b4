package io.blnk.auth.spring.actuate;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.store.CircuitState;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoreUnavailableException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code blnkAuth} health: UP when the key store answers a lookup (one indexed read of a
 * lookup id no key has) and the circuit in front of it is not open; DOWN with the failed operation
 * when the store does not answer, and DOWN while the circuit is {@code OPEN} (requests with
 * uncached keys are then refused with 503, whatever a fresh probe says). {@code HALF_OPEN} is UP:
 * the next call tests the store. Details: {@code store} ({@code reachable}/{@code unreachable}),
 * {@code circuit} ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}; when the {@link BlnkAuth} is
 * known) and, for the JDBC store, {@code schemaVersion} (the version this library migrates to) and
 * {@code dialect}. Thread-safe.
 */
final class BlnkAuthHealthIndicator extends AbstractHealthIndicator {

  /** Sixteen characters of the lookup id alphabet that no issued key has (keys are random). */
  static final String PROBE_LOOKUP_ID = "0000000000000000";

  private final KeyStore store;
  private final BlnkAuth auth; // null when the application has no BlnkAuth bean

  BlnkAuthHealthIndicator(KeyStore store, BlnkAuth auth) {
    super("blnk-auth health check failed");
    this.store = store;
    this.auth = auth;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    if (store instanceof JdbcKeyStore jdbc) {
      builder.withDetail("schemaVersion", JdbcKeyStore.latestSchemaVersion());
      builder.withDetail("dialect", jdbc.dialect().toString());
    }
    CircuitState circuit = auth == null ? null : auth.storeCircuitState();
    if (circuit != null) {
      builder.withDetail("circuit", circuit.name());
    }
    try {
      store.findByLookupId(PROBE_LOOKUP_ID);
      builder.withDetail("store", "reachable");
      if (circuit == CircuitState.OPEN) {
        builder.down();
      } else {
        builder.up();
      }
    } catch (StoreUnavailableException e) {
      builder.down().withDetail("store", "unreachable").withDetail("operation", e.operation());
    }
  }
}
