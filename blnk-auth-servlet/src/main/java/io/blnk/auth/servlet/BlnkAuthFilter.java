package io.blnk.auth.servlet;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoreUnavailableException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one filter a host registers: authenticates {@code X-Blnk-Key}, authorizes the request's
 * resource and action, serves {@code /api-keys}, and tags {@code BLNK_GENERATED_BY}.
 *
 * <p>For each request (dispatch type {@code REQUEST}; other dispatches pass through):
 *
 * <ol start="0">
 *   <li>The path must be unambiguous: the raw request URI, decoded, must equal the container's
 *       {@code getServletPath() + getPathInfo()}, with no path parameters, dot or empty segments,
 *       encoded separators or needlessly encoded characters; else 400 {@code
 *       GEN_MALFORMED_REQUEST}. Every later decision uses that path.
 *   <li>A public path (exact match; default {@code /} and {@code /health}) passes without a
 *       principal.
 *   <li>Secure mode off: everything passes without a principal, except {@code /api-keys}, which
 *       answers 401 {@code AUTH_MISSING_PRINCIPAL}.
 *   <li>Steps 3 to 9 of the specification through {@link BlnkAuth#authenticate} and {@link
 *       BlnkAuth#authorize}: the path's resource comes from the route table (each resource under
 *       its own name, Blnk's aliases, {@code /{id}/metadata}, the host's {@link Builder#route}
 *       rules). Two {@code X-Blnk-Key} headers are an invalid key.
 *   <li>{@code /api-keys} is answered by the filter itself.
 *   <li>Granted: the request reaches the application wrapped so that {@code getUserPrincipal()},
 *       {@code getRemoteUser()}, {@code isUserInRole("resource:action")} and the request attribute
 *       {@link #PRINCIPAL_ATTRIBUTE} tell who called. A {@code POST} by a scoped key has its body
 *       read (at most {@link Builder#maxBodyBytes}, else 413 {@code GEN_PAYLOAD_TOO_LARGE}) and,
 *       if it is a JSON object, tagged with {@code meta_data.BLNK_GENERATED_BY}; the application
 *       reads it through {@code getInputStream()} or {@code getReader()}, and the parameters of an
 *       {@code application/x-www-form-urlencoded} body through {@code getParameter}. (The
 *       container's multipart parsing, {@code getParts()}, does not see such a body.)
 * </ol>
 *
 * <p>When {@link Builder#console} is on, a request under the console's path (checked by step 0) is
 * answered by the console page itself, before any other step: {@code GET} and {@code HEAD} without
 * a key, other methods 405 {@code GEN_METHOD_NOT_ALLOWED}.
 *
 * <p>Every refusal is a JSON envelope {@code {"error", "error_detail": {"code", "message"}}}. A
 * failing key store answers 503 {@code AUTH_STORE_UNAVAILABLE}; an unexpected failure of the
 * filter's own code answers 500 {@code GEN_INTERNAL} without detail (exceptions thrown by the
 * application pass through untouched).
 *
 * <p><b>Configuration in code</b>: {@code BlnkAuthFilter.builder(auth).build()}; the host owns
 * {@code auth} and closes it. <b>Configuration by {@code web.xml}</b>: the no-argument constructor
 * and init parameters:
 *
 * <ul>
 *   <li>{@code config}: path of {@code blnk.json}, a file or, when it starts with {@code
 *       /WEB-INF/}, a web application resource; without it the environment alone configures;
 *   <li>{@code environment}: whether {@code BLNK_SERVER_*} variables override (default {@code
 *       true});
 *   <li>{@code storeFactory}: a {@link KeyStoreFactory} class; default {@link
 *       KeyStoreFactory#jdbc()}, which reads {@code dataSource} (JNDI name), {@code
 *       dataSourceAttribute} (servlet context attribute), {@code tableName} and {@code migrate};
 *   <li>{@code publicPaths}: comma-separated paths (default {@code /,/health});
 *   <li>{@code allowNonExpiringKeys}: {@code true} or {@code false} (default);
 *   <li>{@code maxBodyBytes}: the body limit (default 5 MiB);
 *   <li>{@code console}: {@code true} to serve the key-management console (default {@code false});
 *   <li>{@code consolePath}: where (default {@code /blnk-auth/console}).
 * </ul>
 *
 * Then the filter owns the {@link BlnkAuth} and the store and closes both in {@link #destroy()}.
 *
 * <p>Thread-safe once initialised.
 */
public final class BlnkAuthFilter implements Filter {

  /** The request attribute holding the {@link io.blnk.auth.BlnkPrincipal} of a granted request. */
  public static final String PRINCIPAL_ATTRIBUTE = "io.blnk.auth.principal";

  /** The header carrying the key (names are case-insensitive). */
  public static final String HEADER = "X-Blnk-Key";

  /** The default body limit: 5 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 5L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(BlnkAuthFilter.class);

  private volatile State state;
  private BlnkAuth ownedAuth;
  private KeyStore ownedStore;

  /** For {@code web.xml}: configured from init parameters in {@link #init}. */
  public BlnkAuthFilter() {}

  private BlnkAuthFilter(Builder b) {
    this.state = new State(b);
  }

  /**
   * A builder for a filter in code, around a built {@link BlnkAuth}.
   *
   * @throws NullPointerException if {@code auth} is null
   */
  public static Builder builder(BlnkAuth auth) {
    return new Builder(auth);
  }

  /** Everything a request needs, built once. */
  private static final class State {
    final BlnkAuth auth;
    final Routes routes;
    final Set<String> publicPaths;
    final long maxBodyBytes;
    final Optional<Resource> apiKeysResource;
    final ApiKeysEndpoint endpoint;
    final BodyTagger tagger = new BodyTagger();
    /** The key-management console, or null when it is off (the default). */
    final ConsolePage console;

    State(Builder b) {
      this.auth = b.auth;
      this.routes = Routes.build(b.auth.registry(), b.routes, b.idRoutes);
      this.publicPaths = Set.copyOf(b.publicPaths);
      this.maxBodyBytes = b.maxBodyBytes;
      this.apiKeysResource = b.auth.registry().find(ApiKeysEndpoint.SEGMENT);
      this.endpoint = new ApiKeysEndpoint(b.auth.keys(), b.maxBodyBytes);
      this.console = b.console ? new ConsolePage(b.consolePath, b.auth) : null;
    }
  }

  /**
   * Does nothing for a filter built in code; otherwise configures it from init parameters (see the
   * class comment).
   *
   * @throws ServletException if the configuration is invalid, the master key is weak, or the store
   *     cannot be created; the message says which
   */
  @Override
  public void init(FilterConfig config) throws ServletException {
    if (state != null) {
      return;
    }
    synchronized (this) {
      if (state != null) {
        return;
      }
      initFromParameters(config);
    }
  }

  private void initFromParameters(FilterConfig config) throws ServletException {
    KeyStore store = null;
    try {
      boolean useEnv = parseBoolean("environment", param(config, "environment", "true"));
      Map<String, String> env = useEnv ? System.getenv() : Map.of();
      BlnkConfig settings = readConfig(config, env);
      store = storeFactory(config).create(config);
      BlnkAuth.Builder ab = settings.applyTo(BlnkAuth.builder()).store(store);
      ab.allowNonExpiringKeys(
          parseBoolean("allowNonExpiringKeys", param(config, "allowNonExpiringKeys", "false")));
      BlnkAuth auth = ab.build();
      try {
        Builder fb = builder(auth);
        String paths = param(config, "publicPaths", null);
        if (paths != null) {
          Set<String> set = new LinkedHashSet<>();
          for (String p : paths.split(",")) {
            if (!p.isBlank()) {
              set.add(p.trim());
            }
          }
          fb.publicPaths(set);
        }
        String max = param(config, "maxBodyBytes", null);
        if (max != null) {
          try {
            fb.maxBodyBytes(Long.parseLong(max.trim()));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("maxBodyBytes must be a number, was \"" + max + "\"");
          }
        }
        fb.console(parseBoolean("console", param(config, "console", "false")));
        String consolePath = param(config, "consolePath", null);
        if (consolePath != null) {
          fb.consolePath(consolePath);
        }
        State built = new State(fb);
        this.ownedAuth = auth;
        this.ownedStore = store;
        this.state = built;
      } catch (RuntimeException e) {
        auth.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(store);
      throw new ServletException("BlnkAuthFilter: " + e.getMessage(), e);
    } catch (ServletException e) {
      closeQuietly(store);
      throw e;
    }
  }

  private static BlnkConfig readConfig(FilterConfig config, Map<String, String> env)
      throws IOException, ServletException {
    String path = param(config, "config", null);
    if (path == null) {
      return BlnkConfig.fromEnvironment(env);
    }
    if (path.startsWith("/WEB-INF/")) {
      try (InputStream in = config.getServletContext().getResourceAsStream(path)) {
        if (in == null) {
          throw new ServletException("BlnkAuthFilter: no web application resource " + path);
        }
        return BlnkConfig.parse(in, env);
      }
    }
    return BlnkConfig.load(Path.of(path), env);
  }

  private static KeyStoreFactory storeFactory(FilterConfig config) throws ServletException {
    String name = param(config, "storeFactory", null);
    if (name == null) {
      return KeyStoreFactory.jdbc();
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type = Class.forName(name.trim(), true, loader != null ? loader : BlnkAuthFilter.class.getClassLoader());
      return (KeyStoreFactory) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new ServletException(
          "BlnkAuthFilter: storeFactory "
              + name
              + " must name a public class implementing "
              + KeyStoreFactory.class.getName()
              + " with a public no-argument constructor",
          e);
    }
  }

  private static String param(FilterConfig config, String name, String fallback) {
    String v = config.getInitParameter(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** {@code true} or {@code false}, any case; anything else is refused naming the setting. */
  static boolean parseBoolean(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("true")) {
      return true;
    }
    if (v.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false, was \"" + value + "\"");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    State s = state;
    if (s == null) {
      throw new ServletException("BlnkAuthFilter was not initialised");
    }
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse out)
        || request.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest next;
    try {
      next = decide(s, http, out);
    } catch (RuntimeException e) {
      LOG.error("BlnkAuthFilter failed on {} request: {}", http.getMethod(), e.toString(), e);
      if (!out.isCommitted()) {
        out.reset();
        Json.sendError(http, out, ErrorCode.GEN_INTERNAL, ErrorCode.GEN_INTERNAL.defaultMessage());
      }
      return;
    }
    if (next != null) {
      chain.doFilter(next, response);
    }
  }

  /** The request to pass on, or null when the response has been written. */
  private static HttpServletRequest decide(State s, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = checkedPath(request);
    if (path == null) {
      Json.sendError(request, response, ErrorCode.GEN_MALFORMED_REQUEST, "Malformed request path");
      return null;
    }
    if (s.console != null && s.console.handles(path)) {
      s.console.serve(request, response, path);
      return null;
    }
    if (s.publicPaths.contains(path)) {
      return request;
    }
    boolean apiKeys = RequestPaths.segment(path, 0).equals(ApiKeysEndpoint.SEGMENT);
    if (!s.auth.secure()) {
      if (apiKeys) {
        deny(request, response, AuthResult.Denied.of(ErrorCode.AUTH_MISSING_PRINCIPAL));
        return null;
      }
      return request;
    }
    String remote = request.getRemoteAddr() == null ? "" : request.getRemoteAddr();
    String method = request.getMethod();
    try {
      AuthResult result = s.auth.authenticate(presentedKey(request), remote);
      if (result instanceof AuthResult.Denied denied) {
        deny(request, response, denied);
        return null;
      }
      BlnkPrincipal principal = ((AuthResult.Granted) result).principal();
      Optional<Resource> resource = apiKeys ? s.apiKeysResource : s.routes.resourceOf(path);
      result = s.auth.authorize(principal, resource, method, remote);
      if (result instanceof AuthResult.Denied denied) {
        deny(request, response, denied);
        return null;
      }
      if (apiKeys) {
        try {
          s.endpoint.handle(request, response, principal, path);
        } catch (ApiKeysEndpoint.Refused e) {
          Json.sendError(request, response, e.code, e.getMessage());
        }
        return null;
      }
      byte[] body = null;
      if (!principal.isMaster() && "POST".equals(method)) {
        try {
          body = Bodies.read(request, s.maxBodyBytes);
          body = s.tagger.tag(body, principal.getName());
        } catch (Bodies.TooLarge e) {
          Json.sendError(
              request, response, ErrorCode.GEN_PAYLOAD_TOO_LARGE, ErrorCode.GEN_PAYLOAD_TOO_LARGE.defaultMessage());
          return null;
        } catch (Bodies.Unreadable e) {
          Json.sendError(request, response, ErrorCode.GEN_MALFORMED_REQUEST, "Request body could not be read");
          return null;
        } catch (BodyTagger.MalformedBody e) {
          Json.sendError(request, response, ErrorCode.GEN_MALFORMED_REQUEST, e.getMessage());
          return null;
        }
      }
      AuthenticatedRequest wrapped = new AuthenticatedRequest(request, principal, body);
      wrapped.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
      return wrapped;
    } catch (StoreUnavailableException e) {
      LOG.warn("key store unavailable: {}", e.getMessage());
      if (!response.isCommitted()) {
        response.reset();
        deny(request, response, AuthResult.Denied.of(ErrorCode.AUTH_STORE_UNAVAILABLE));
      }
      return null;
    }
  }

  /** The single {@code X-Blnk-Key} value, null when absent, {@code "\u0000"} (malformed) when repeated. */
  private static String presentedKey(HttpServletRequest request) {
    Enumeration<String> values = request.getHeaders(HEADER);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    return values.hasMoreElements() ? "\u0000" : first;
  }

  /** The unambiguous path inside the context, or null. */
  private static String checkedPath(HttpServletRequest request) {
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

  private static void deny(HttpServletRequest request, HttpServletResponse response, AuthResult.Denied d)
      throws IOException {
    Json.sendError(request, response, d.code(), d.message());
  }

  /** Closes the {@link BlnkAuth} and the store when the filter created them from {@code web.xml}. */
  @Override
  public void destroy() {
    if (ownedAuth != null) {
      ownedAuth.close();
    }
    closeQuietly(ownedStore);
  }

  private static void closeQuietly(KeyStore store) {
    if (store != null) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.warn("could not close the key store: {}", e.toString());
      }
    }
  }

  @Override
  public String toString() {
    State s = state;
    return s == null ? "BlnkAuthFilter[not initialised]" : "BlnkAuthFilter[" + s.auth + "]";
  }

  /** Configures a {@link BlnkAuthFilter}. Not thread-safe; each setting may be given again. */
  public static final class Builder {
    private final BlnkAuth auth;
    private Set<String> publicPaths = Set.of("/", "/health");
    private final Map<String, String> routes = new LinkedHashMap<>();
    private final Map<String, String> idRoutes = new LinkedHashMap<>();
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private boolean console;
    private String consolePath = ConsolePage.DEFAULT_PATH;

    private Builder(BlnkAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
    }

    /**
     * Paths that pass without a key, matched exactly against the path inside the context (so
     * {@code /health} does not cover {@code /health/x}). Default {@code /} and {@code /health}.
     *
     * @throws IllegalArgumentException if a path does not start with {@code /}
     */
    public Builder publicPaths(Set<String> paths) {
      Objects.requireNonNull(paths, "paths");
      for (String p : paths) {
        if (p == null || !p.startsWith("/")) {
          throw new IllegalArgumentException("public path must start with '/': " + p);
        }
      }
      this.publicPaths = Set.copyOf(paths);
      return this;
    }

    /**
     * Maps a first path segment to a resource, e.g. {@code route("mocked-account", "accounts")};
     * replaces a default rule for the same segment. The resource must be in the {@link
     * BlnkAuth#registry()}, checked by {@link #build()}. Segments are matched exactly (case
     * included).
     */
    public Builder route(String firstSegment, String resource) {
      routes.put(segment(firstSegment), Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /**
     * Maps {@code /{id}/<segment>} (exactly two segments, the first matching no {@link #route}) to
     * a resource. The default has {@code routeById("metadata", "metadata")}.
     */
    public Builder routeById(String secondSegment, String resource) {
      idRoutes.put(segment(secondSegment), Objects.requireNonNull(resource, "resource"));
      return this;
    }

    private static String segment(String s) {
      Objects.requireNonNull(s, "segment");
      if (s.isEmpty() || s.indexOf('/') >= 0) {
        throw new IllegalArgumentException("a segment is non-empty and has no '/': " + s);
      }
      return s;
    }

    /**
     * The largest request body read (for tagging and by {@code /api-keys}); larger answers 413.
     * Default 5 MiB.
     *
     * @throws IllegalArgumentException if {@code bytes} is below 1 or above {@code
     *     Integer.MAX_VALUE - 8}
     */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBodyBytes must be between 1 and 2^31-9, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Whether the filter serves the key-management console (a static page that signs in with a key
     * and manages keys through {@code /api-keys}) at {@link #consolePath}, without a key, for {@code
     * GET} and {@code HEAD}. Default {@code false}: when off, the console costs the request path one
     * null check.
     */
    public Builder console(boolean enabled) {
      this.console = enabled;
      return this;
    }

    /**
     * Where the console is served, inside the context; default {@code /blnk-auth/console}.
     *
     * @throws IllegalArgumentException unless the path is absolute, has plain segments ({@code
     *     [A-Za-z0-9._~-]}, no dot segments) and no trailing slash, and is not under {@code
     *     /api-keys}
     */
    public Builder consolePath(String path) {
      this.consolePath = ConsolePage.checkPath(path);
      return this;
    }

    /**
     * The filter.
     *
     * @throws IllegalArgumentException if a route names a resource outside the registry
     */
    public BlnkAuthFilter build() {
      return new BlnkAuthFilter(this);
    }
  }
}
