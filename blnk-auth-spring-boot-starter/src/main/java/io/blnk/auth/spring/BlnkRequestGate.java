package io.blnk.auth.spring;

import io.blnk.auth.servlet.BlnkAuthFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Runs the {@link BlnkAuthFilter} once per request, wherever it is called from first: inside
 * Spring Security's filter chain (so refusals carry Spring Security's headers and the principal
 * reaches the {@code SecurityContext}) or, for requests no chain decided, from the servlet filter
 * registered after Spring Security. Lets the public Actuator endpoints through without a key.
 *
 * <p>Immutable and thread-safe.
 */
public final class BlnkRequestGate {

  /** Request attribute set once the request has been decided. */
  public static final String DECIDED_ATTRIBUTE = "io.blnk.auth.spring.decided";

  private final BlnkAuthFilter filter;
  private final BlnkDecisionObserver observer;
  /** Public Actuator paths, e.g. {@code /actuator/health}: the path and everything below it. */
  private final String[] publicPrefixes;

  /**
   * A gate.
   *
   * @param filter the filter that decides
   * @param publicPrefixes paths inside the context that pass without a key, with all below them
   */
  public BlnkRequestGate(BlnkAuthFilter filter, List<String> publicPrefixes) {
    this(filter, publicPrefixes, null);
  }

  /**
   * A gate that reports each decision.
   *
   * @param filter the filter that decides
   * @param publicPrefixes paths inside the context that pass without a key, with all below them
   * @param observer hears each decision, or null
   */
  public BlnkRequestGate(
      BlnkAuthFilter filter, List<String> publicPrefixes, BlnkDecisionObserver observer) {
    this.filter = Objects.requireNonNull(filter, "filter");
    this.observer = observer;
    this.publicPrefixes = publicPrefixes.toArray(new String[0]);
  }

  /**
   * The filter that decides.
   *
   * @return the filter this gate asks
   */
  public BlnkAuthFilter filter() {
    return filter;
  }

  /**
   * Decides the request unless it was decided already; then continues {@code chain} (with the
   * authenticated request) or leaves the written refusal.
   *
   * @param request the request to decide
   * @param response the response a refusal is written to
   * @param chain the rest of the chain, continued when the request passes
   * @throws IOException
 if writing a refusal or the rest of the chain fails
   * @throws ServletException if the rest of the chain fails
   */
  public void decide(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request.getAttribute(DECIDED_ATTRIBUTE) != null) {
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(DECIDED_ATTRIBUTE, Boolean.TRUE);
    if (request instanceof HttpServletRequest http && isPublicManagementPath(http)) {
      chain.doFilter(request, response);
      return;
    }
    if (observer == null
        || !(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse out)) {
      filter.doFilter(request, response, chain);
      return;
    }
    observer.beforeDecision();
    boolean[] granted = new boolean[1];
    try {
      filter.doFilter(
          request,
          response,
          (req, res) -> {
            granted[0] = true;
            observer.decided(http, out, true);
            chain.doFilter(req, res);
          });
    } finally {
      if (!granted[0]) {
        observer.decided(http, out, false);
      }
    }
  }

  /** Exact, unencoded paths only: anything the container had to decode or normalise is checked. */
  private boolean isPublicManagementPath(HttpServletRequest request) {
    if (publicPrefixes.length == 0) {
      return false;
    }
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    if (uri == null || context == null || !uri.startsWith(context)) {
      return false;
    }
    String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
    String info = request.getPathInfo() == null ? "" : request.getPathInfo();
    String path = servletPath + info;
    if (uri.length() - context.length() != path.length() || !uri.startsWith(path, context.length())) {
      return false;
    }
    if (path.indexOf('%') >= 0 || path.indexOf(';') >= 0 || path.contains("/.")) {
      return false;
    }
    for (String prefix : publicPrefixes) {
      if (path.equals(prefix)
          || (path.length() > prefix.length()
              && path.startsWith(prefix)
              && path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "BlnkRequestGate[" + filter + "]";
  }
}
