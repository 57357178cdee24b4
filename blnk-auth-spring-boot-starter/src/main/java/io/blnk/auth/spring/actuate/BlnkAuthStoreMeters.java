package io.blnk.auth.spring.actuate;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.store.CircuitState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;

/**
 * The store circuit's meters: the gauge {@value #CIRCUIT_STATE}, one series per {@code state} tag
 * ({@code closed}, {@code open}, {@code half_open}) whose value is 1 for the current state and 0
 * for the others, and the function counter {@value #CALLS_REFUSED}, the store calls the open
 * circuit refused at once. Both read {@link BlnkAuth}'s cheap accessors when scraped. Thread-safe.
 */
final class BlnkAuthStoreMeters implements MeterBinder {

  static final String CIRCUIT_STATE = "blnk.auth.store.circuit.state";
  static final String CALLS_REFUSED = "blnk.auth.store.calls.refused";

  private final BlnkAuth auth;

  BlnkAuthStoreMeters(BlnkAuth auth) {
    this.auth = auth;
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
  }

  @Override
  public String toString() {
    return "BlnkAuthStoreMeters";
  }
}
