package io.blnk.auth.spring.actuate;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.AuthListener;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.spring.BlnkDecisionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The decision counter {@value #DECISIONS}: one count per request the starter decided, tagged
 * {@code outcome} ({@code granted} or {@code denied}), {@code code} (the {@link ErrorCode} of a
 * refusal, {@code none} for a grant; {@code other} only for a refusal the filter did not write,
 * such as an exception) and {@code resource} (the first path segment when the registry has a
 * resource of that name, {@code api-keys}, else {@code other}).
 *
 * <p>The refusal code comes from the request attribute {@link BlnkAuthFilter#REFUSAL_ATTRIBUTE},
 * which the filter sets for every refusal it writes (so that refusals the event sink aggregates are
 * still counted under their own code), else from the last {@link AuthEvent} raised on the request
 * thread during the decision. Thread-safe.
 */
final class BlnkAuthMeters implements AuthListener, BlnkDecisionObserver {

  static final String DECISIONS = "blnk.auth.decisions";

  private final MeterRegistry registry;
  private final ResourceRegistry resources;
  private final ThreadLocal<ErrorCode> lastCode = new ThreadLocal<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  BlnkAuthMeters(MeterRegistry registry, ResourceRegistry resources) {
    this.registry = registry;
    this.resources = resources;
  }

  @Override
  public boolean wants(AuthEvent.Type type) {
    return type == AuthEvent.Type.AUTH_FAILED || type == AuthEvent.Type.PERMISSION_DENIED;
  }

  @Override
  public void onEvent(AuthEvent event) {
    event.code().ifPresent(lastCode::set);
  }

  @Override
  public void beforeDecision() {
    lastCode.remove();
  }

  @Override
  public void decided(HttpServletRequest request, HttpServletResponse response, boolean granted) {
    // The filter records every refusal's code on the request, repeats that the event sink
    // aggregates included; the last auth event is only a fallback.
    ErrorCode code =
        request.getAttribute(BlnkAuthFilter.REFUSAL_ATTRIBUTE) instanceof ErrorCode c ? c : lastCode.get();
    lastCode.remove();
    String outcome = granted ? "granted" : "denied";
    String codeTag = granted ? "none" : code == null ? "other" : code.name();
    String resource = resourceOf(request);
    String key = outcome + '|' + codeTag + '|' + resource;
    Counter c = counters.get(key);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              key,
              k ->
                  Counter.builder(DECISIONS)
                      .description("Requests decided by blnk-auth")
                      .tag("outcome", outcome)
                      .tag("code", codeTag)
                      .tag("resource", resource)
                      .register(registry));
    }
    c.increment();
  }

  private String resourceOf(HttpServletRequest request) {
    String sp = request.getServletPath();
    String info = request.getPathInfo();
    String path = (sp == null ? "" : sp) + (info == null ? "" : info);
    int start = path.startsWith("/") ? 1 : 0;
    int end = path.indexOf('/', start);
    String first = end < 0 ? path.substring(start) : path.substring(start, end);
    if (first.equals("api-keys")) {
      return first;
    }
    Optional<Resource> r = resources.find(first);
    return r.isPresent() ? r.get().name() : "other";
  }

  @Override
  public String toString() {
    return "BlnkAuthMeters";
  }
}
