package io.blnk.auth.spring.actuate;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.JdbcKeyStore;
import io.blnk.auth.store.CircuitState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The store's and caches' meters: the gauge {@value #CIRCUIT_STATE}, one series per {@code state} tag
 * ({@code closed}, {@code open}, {@code half_open}) whose value is 1 for the current state and 0
 * for the others, and the function counter {@value #CALLS_REFUSED}, the store calls the open
 * circuit refused at once; the gauge {@value #CACHE_SIZE} per {@code cache} ({@code proofs},
 * {@code records}) and the function counters {@value #CACHE_HITS} and {@value #CACHE_MISSES}
 * (presented keys decided from the caches alone, or with a store read); and, for a {@link
 * JdbcKeyStore}, the time gauge {@value #FEED_LAG} ({@link JdbcKeyStore#feedLag()}). All read cheap
 * accessors when scraped. Thread-safe.
 */
final class BlnkAuthStoreMeters implements MeterBinder {

  static final String CIRCUIT_STATE = "blnk.auth.store.circuit.state";
  static final String CALLS_REFUSED = "blnk.auth.store.calls.refused";
  static final String CACHE_SIZE = "blnk.auth.cache.size";
  static final String CACHE_HITS = "blnk.auth.cache.hits";
  static final String CACHE_MISSES = "blnk.auth.cache.misses";
  static final String FEED_LAG = "blnk.auth.feed.lag";

  private final BlnkAuth auth;
  private final JdbcKeyStore store;

  /** @param store the JDBC store whose feed lag is reported, or null for none */
  BlnkAuthStoreMeters(BlnkAuth auth, JdbcKeyStore store) {
    this.auth = auth;
    this.store = store;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (CircuitState state : CircuitState.values()) {
      Gauge.builder(CIRCUIT_STATE, auth, a -> a.storeCircuitState() == state ? 1 : 0)
          .description("The key store circuit: 1 for the current state, 0 for the others")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    FunctionCounter.builder(CALLS_REFUSED, auth, BlnkAuth::storeCallsRefused)
        .description("Key store calls refused at once while the circuit was open")
        .register(registry);
    Gauge.builder(CACHE_SIZE, auth, a -> a.cacheStatistics().proofs())
        .description("Presented keys proven on this node (estimate)")
        .tag("cache", "proofs")
        .register(registry);
    Gauge.builder(CACHE_SIZE, auth, a -> a.cacheStatistics().records())
        .description("Key records cached on this node (estimate)")
        .tag("cache", "records")
        .register(registry);
    FunctionCounter.builder(CACHE_HITS, auth, a -> a.cacheStatistics().hits())
        .description("Presented keys decided without reading the key store")
        .register(registry);
    FunctionCounter.builder(CACHE_MISSES, auth, a -> a.cacheStatistics().misses())
        .description("Presented keys that needed the key store (first verification or record reload)")
        .register(registry);
    if (store != null) {
      TimeGauge.builder(
              FEED_LAG,
              store,
              TimeUnit.NANOSECONDS,
              s -> s.feedLag().map(d -> (double) d.toNanos()).orElse(Double.NaN))
          .description("Time since the key change feed last knew it had every change (NaN: no feed)")
          .register(registry);
    }
  }

  @Override
  public String toString() {
    return "BlnkAuthStoreMeters";
  }
}
