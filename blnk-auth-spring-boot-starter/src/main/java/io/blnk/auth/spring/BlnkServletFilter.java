package io.blnk.auth.spring;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * The servlet filter the starter registers: decides every request that Spring Security's chain
 * (when present) has not decided already. Thread-safe.
 */
final class BlnkServletFilter implements Filter {

  private final BlnkRequestGate gate;

  BlnkServletFilter(BlnkRequestGate gate) {
    this.gate = gate;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    gate.decide(request, response, chain);
  }

  @Override
  public String toString() {
    return "BlnkServletFilter[" + gate + "]";
  }
}
