package io.blnk.auth.store;

/**
 * The state of the circuit that {@code BlnkAuth} puts in front of its key store (see {@code
 * BlnkAuth.storeCircuitState()}), for health checks and metrics.
 */
public enum CircuitState {
  /** The store answers; calls go through. */
  CLOSED,
  /** A call failed or timed out recently: calls are refused at once until the next probe. */
  OPEN,
  /** One probe call is testing the store; other calls are refused at once meanwhile. */
  HALF_OPEN
}
