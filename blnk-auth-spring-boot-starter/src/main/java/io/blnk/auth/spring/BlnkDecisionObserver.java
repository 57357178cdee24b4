package io.blnk.auth.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Hears the outcome of each request the starter decided (e.g. to count decisions). Called on the
 * request thread after the decision: keep it quick, never throw. Implementations are thread-safe.
 */
public interface BlnkDecisionObserver {

  /** Called just before the decision is made, on the request thread. */
  default void beforeDecision() {}

  /**
   * Called once the decision is made.
   *
   * @param request the request as it arrived
   * @param response the response ({@code getStatus()} holds a refusal's status)
   * @param granted whether the request went on to the application
   */
  void decided(HttpServletRequest request, HttpServletResponse response, boolean granted);
}
