package io.blnk.auth.spring.security;

import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.spring.BlnkRequestGate;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/**
 * blnk-auth inside a Spring Security filter chain: decides the request (once) and puts a granted
 * principal into the {@code SecurityContext} as a {@link BlnkAuthentication}. Thread-safe.
 */
final class BlnkSecurityFilter implements Filter {

  private final BlnkRequestGate gate;
  private final ResourceRegistry registry;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  BlnkSecurityFilter(BlnkRequestGate gate, ResourceRegistry registry) {
    this.gate = gate;
    this.registry = registry;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getAttribute(BlnkRequestGate.DECIDED_ATTRIBUTE) != null) {
      authenticate(request); // a later dispatch of a decided request, e.g. to /error
      chain.doFilter(request, response);
      return;
    }
    gate.decide(
        request,
        response,
        (granted, out) -> {
          authenticate(granted);
          chain.doFilter(granted, out);
        });
  }

  private void authenticate(ServletRequest request) {
    if (request.getAttribute(BlnkAuthFilter.PRINCIPAL_ATTRIBUTE) instanceof BlnkPrincipal p) {
      Authentication current = contexts.getContext().getAuthentication();
      if (current instanceof BlnkAuthentication b && b.getPrincipal().equals(p)) {
        return;
      }
      SecurityContext context = contexts.createEmptyContext();
      context.setAuthentication(new BlnkAuthentication(p, registry));
      contexts.setContext(context);
    }
  }

  @Override
  public String toString() {
    return "BlnkSecurityFilter[" + gate + "]";
  }
}
