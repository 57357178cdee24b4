package io.blnk.auth.servlet;

import io.blnk.auth.Admission;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.StoreUnavailableException;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides one request, before any body is read: steps 0 to 9 of {@link BlnkAuthFilter}'s class
 * comment, as a {@link Decision} value. Thread-safe.
 */
final class RequestGate {

  /** What the filter does with a request. */
  sealed interface Decision permits Pass, ServeConsole, ReportLeaks, Refuse, ManageKeys, Admit {}

  /** Pass on as it is, without a principal: a public path, or secure mode off. */
  record Pass() implements Decision {}

  /**
   * Serve the key-management console's page (no key needed: the page signs in in the browser).
   *
   * @param path the checked path inside the context
   */
  record ServeConsole(String path) implements Decision {}

  /** Serve the leak-report endpoint (no key: the report is signed). */
  record ReportLeaks() implements Decision {}

  /**
   * Answer with the envelope.
   *
   * @param refusal the answer
   */
  record Refuse(Refusal refusal) implements Decision {}

  /**
   * Serve {@code /api-keys}.
   *
   * @param principal the authorised caller
   * @param path the checked path inside the API root, e.g. {@code /api-keys/{id}}
   */
  record ManageKeys(BlnkPrincipal principal, String path) implements Decision {}

  /**
   * Let the application serve it, as {@code principal}.
   *
   * @param principal the authorised caller
   * @param path the checked path inside the API root (the whole path inside the context when the
   *     request lies outside the root)
   */
  record Admit(BlnkPrincipal principal, String path) implements Decision {}

  /** The headers through which frameworks let a client override the request method. */
  static final List<String> OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  /** The form or query parameter through which frameworks override the method. */
  static final String OVERRIDE_PARAMETER = "_method";

  /** Methods an override may name. */
  static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private static final Pass PASS = new Pass();

  private final BlnkAuth auth;
  private final Routes routes;
  private final Set<String> publicPaths;
  private final String apiBasePath; // null: follow the servlet mapping
  private final Optional<Resource> apiKeysResource;
  private final ConsolePage console; // null: the console is off
  /** Request cost by first path segment (default 1), charged to rate limits and credits. */
  private final java.util.Map<String, Long> costs;
  private final ClientAddress clients;
  private final LeakReportEndpoint leaks; // null: off
  private static final ReportLeaks REPORT_LEAKS = new ReportLeaks();

  /**
   * @param apiBasePath the API root inside the context ({@code ""} for the context root, {@code
   *     /api}), or null to follow each request's servlet mapping
   */
  RequestGate(BlnkAuth auth, Routes routes, Set<String> publicPaths, String apiBasePath) {
    this(auth, routes, publicPaths, apiBasePath, null);
  }

  /** As above, serving {@code console}'s paths when it is not null. */
  RequestGate(
      BlnkAuth auth, Routes routes, Set<String> publicPaths, String apiBasePath, ConsolePage console) {
    this(auth, routes, publicPaths, apiBasePath, console, ClientAddress.SOCKET, null, java.util.Map.of());
  }

  /**
   * As above, with the client address found by {@code clients} (trusted proxies), and serving the
   * leak-report endpoint when {@code leaks} is not null.
   */
  RequestGate(
      BlnkAuth auth,
      Routes routes,
      Set<String> publicPaths,
      String apiBasePath,
      ConsolePage console,
      ClientAddress clients,
      LeakReportEndpoint leaks,
      java.util.Map<String, Long> costs) {
    this.costs = java.util.Map.copyOf(costs);
    this.clients = clients;
    this.leaks = leaks;
    this.console = console;
    this.auth = auth;
    this.routes = routes;
    this.publicPaths = Set.copyOf(publicPaths);
    this.apiBasePath = apiBasePath;
    this.apiKeysResource = auth.registry().find(ApiKeysEndpoint.SEGMENT);
  }

  /** The decision for {@code request}. Reads no body except a POST form's, through the container. */
  Decision decide(HttpServletRequest request) {
    String path = checkedPath(request);
    if (path == null) {
      return new Refuse(Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Malformed request path"));
    }
    if (console != null && console.handles(path)) {
      return new ServeConsole(path);
    }
    if (leaks != null && leaks.handles(path)) {
      return REPORT_LEAKS;
    }
    String apiPath = insideRoot(path, root(request));
    if (apiPath != null && publicPaths.contains(apiPath)) {
      return PASS;
    }
    boolean apiKeys = apiPath != null && RequestPaths.segment(apiPath, 0).equals(ApiKeysEndpoint.SEGMENT);
    if (!auth.secure()) {
      return apiKeys ? new Refuse(Refusal.of(ErrorCode.AUTH_MISSING_PRINCIPAL)) : PASS;
    }
    String remote = clients.of(request);
    try {
      AuthResult result = auth.authenticate(presentedKey(request), remote);
      if (result instanceof AuthResult.Denied denied) {
        return new Refuse(Refusal.of(denied));
      }
      BlnkPrincipal principal = ((AuthResult.Granted) result).principal();
      List<String> methods = new ArrayList<>(2);
      methods.add(request.getMethod());
      Refusal badOverride = addOverrides(request, methods);
      if (badOverride != null) {
        return new Refuse(badOverride);
      }
      boolean self = apiKeys && apiPath.equals(ApiKeysEndpoint.SELF_PATH);
      for (String method : methods) {
        if (self && (method.equals("GET") || method.equals("HEAD"))) {
          continue; // a key may always read its own record: no scope needed
        }
        result =
            apiKeys
                ? auth.authorize(principal, apiKeysResource, method, remote)
                : apiPath != null
                    ? routes.authorize(auth, principal, apiPath, method, remote)
                    : auth.authorize(principal, Optional.empty(), method, remote);
        if (result instanceof AuthResult.Denied denied) {
          return new Refuse(Refusal.of(denied));
        }
      }
      // Usage controls come last: after authentication and authorisation, before the grant.
      Admission admission = auth.admit(principal, cost(apiPath));
      request.setAttribute(RateLimitFields.ATTRIBUTE, admission);
      if (!admission.admitted()) {
        return new Refuse(Refusal.of(admission.denial().get()));
      }
      if (apiKeys) {
        return new ManageKeys(principal, apiPath);
      }
      return new Admit(principal, apiPath != null ? apiPath : path);
    } catch (StoreUnavailableException e) {
      return new Refuse(Refusal.storeUnavailable(e));
    }
  }

  /** What a request to {@code apiPath} costs: its first segment's rule, else 1. */
  private long cost(String apiPath) {
    if (costs.isEmpty() || apiPath == null) {
      return 1;
    }
    Long c = costs.get(RequestPaths.segment(apiPath, 0));
    return c == null ? 1 : c;
  }

  /**
   * Adds every method the request's override headers and {@code _method} parameter name, upper
   * case and without repeats; a POST's parameters come from the container (which parses a form
   * body for them, as an override filter would), other requests' from the query string.
   *
   * @return a refusal if one names no known method, else null
   */
  static Refusal addOverrides(HttpServletRequest request, List<String> methods) {
    List<String> named = new ArrayList<>(0);
    for (String header : OVERRIDE_HEADERS) {
      Enumeration<String> values = request.getHeaders(header);
      while (values != null && values.hasMoreElements()) {
        named.add(values.nextElement());
      }
    }
    if ("POST".equals(request.getMethod())) {
      String[] values;
      try {
        values = request.getParameterValues(OVERRIDE_PARAMETER);
      } catch (RuntimeException e) {
        return Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Request parameters could not be read");
      }
      if (values != null) {
        named.addAll(List.of(values));
      }
    } else {
      named.addAll(queryValues(request.getQueryString(), OVERRIDE_PARAMETER));
    }
    for (String value : named) {
      String v = value.trim();
      if (v.isEmpty()) {
        continue; // frameworks ignore an empty override
      }
      String method = v.toUpperCase(Locale.ROOT);
      if (!KNOWN_METHODS.contains(method)) {
        return Refusal.of(ErrorCode.GEN_MALFORMED_REQUEST, "Unknown method override " + Text.quote(v));
      }
      if (!methods.contains(method)) {
        methods.add(method);
      }
    }
    return null;
  }

  /** The decoded values of parameter {@code name} in a raw query string. */
  static List<String> queryValues(String query, String name) {
    if (query == null || query.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(0);
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String n = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (n.equals(name)) {
        out.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /** The API root for this request: the configured one, else a path mapping's servlet path. */
  private String root(HttpServletRequest request) {
    if (apiBasePath != null) {
      return apiBasePath;
    }
    try {
      HttpServletMapping mapping = request.getHttpServletMapping();
      if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH) {
        String servletPath = request.getServletPath();
        return servletPath == null ? "" : servletPath;
      }
    } catch (RuntimeException e) {
      // a container without mappings: the context root
    }
    return "";
  }

  /** The path inside {@code root} ({@code /} for the root itself), or null outside it. */
  static String insideRoot(String path, String root) {
    if (root.isEmpty()) {
      return path;
    }
    if (path.equals(root) || path.equals(root + "/")) {
      return "/";
    }
    return path.startsWith(root) && path.charAt(root.length()) == '/' ? path.substring(root.length()) : null;
  }

  /** The single {@code X-Blnk-Key} value, null when absent, {@code "\u0000"} (malformed) when repeated. */
  static String presentedKey(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders(BlnkAuthFilter.HEADER);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    return values.hasMoreElements() ? "\u0000" : first;
  }

  /** The unambiguous path inside the context, or null. */
  static String checkedPath(HttpServletRequest request) {
    String normalised;
    try {
      String servletPath = request.getServletPath();
      String pathInfo = request.getPathInfo();
      normalised = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    } catch (RuntimeException e) {
      return null; // e.g. a container refusing to decode an ambiguous path
    }
    return RequestPaths.check(request.getRequestURI(), request.getContextPath(), normalised);
  }
}
