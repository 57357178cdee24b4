package io.blnk.auth.servlet;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.internal.LogText;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one filter a host registers: authenticates {@code X-Blnk-Key}, authorizes the request's
 * resource and action, serves {@code /api-keys}, and tags {@code BLNK_GENERATED_BY}. Register it
 * for {@code /*}, dispatch type {@code REQUEST}, <b>async-supported</b> (other dispatches pass
 * through), and before any method-override filter.
 *
 * <p>For each request:
 *
 * <ol start="0">
 *   <li>The path must be unambiguous: the raw request URI, decoded, must equal the container's
 *       {@code getServletPath() + getPathInfo()}, with no path parameters, dot or empty segments,
 *       encoded separators or needlessly encoded characters; else 400 {@code
 *       GEN_MALFORMED_REQUEST}. Later steps use that path relative to the <em>API root</em>:
 *       {@link Builder#apiBasePath}, else the servlet path of a request mapped by a path pattern
 *       such as {@code /api/*}. A request outside an explicit root is judged on its whole path,
 *       with no public paths and no routes.
 *   <li>A public path (exact match; default {@code /} and {@code /health}) passes without a
 *       principal.
 *   <li>Secure mode off: everything passes without a principal, except {@code /api-keys}, which
 *       answers 401 {@code AUTH_MISSING_PRINCIPAL}.
 *   <li>Steps 3 to 9 of the specification through {@link BlnkAuth#authenticate} and {@link
 *       BlnkAuth#authorize}: the path's resource comes from the route table (each resource under
 *       its own name, Blnk's aliases, {@code /{id}/metadata}, the host's {@link Builder#route}
 *       rules). Two {@code X-Blnk-Key} headers are an invalid key. A method override ({@code
 *       X-HTTP-Method-Override}, {@code X-HTTP-Method}, {@code X-Method-Override}, or a {@code
 *       _method} parameter) must be authorised as well as the real method; one naming no known
 *       method is 400 {@code GEN_MALFORMED_REQUEST}.
 *   <li>{@code /api-keys} is answered by the filter itself (405 {@code GEN_METHOD_NOT_ALLOWED}
 *       with {@code Allow} for a method it does not answer).
 *   <li>Granted: the request reaches the application wrapped so that {@code getUserPrincipal()},
 *       {@code getRemoteUser()}, {@code isUserInRole("resource:action")} and the request attribute
 *       {@link #PRINCIPAL_ATTRIBUTE} tell who called. A body sent with a scoped key follows the
 *       body policy: JSON must be strict UTF-8 and is tagged at the route's {@link
 *       Builder#tagTargets targets}; forms and multipart are left to the container; other
 *       charsets, content encodings and lenient JSON are refused (415 {@code
 *       GEN_UNSUPPORTED_MEDIA_TYPE} or 400).
 * </ol>
 *
 * <p>Every refusal is the JSON envelope {@code {"error", "error_detail": {"code", "message"}}}, with
 * {@code Retry-After} on 429 and 503. A failing key store answers 503 {@code
 * AUTH_STORE_UNAVAILABLE}; an unexpected failure of the filter's own code answers 500 {@code
 * GEN_INTERNAL} without detail (exceptions thrown by the application pass through untouched).
 *
 * <p><b>Configuration in code</b>: {@code BlnkAuthFilter.builder(auth).build()}; the host owns
 * {@code auth} and closes it. <b>Configuration by {@code web.xml}</b>: the no-argument constructor
 * and init parameters:
 *
 * <ul>
 *   <li>{@code config}: path of {@code blnk.json}, a file or, when it starts with {@code
 *       /WEB-INF/}, a web application resource; without it, or when it does not exist, the
 *       environment alone configures;
 *   <li>{@code environment}: whether {@code BLNK_SERVER_*} variables override (default {@code
 *       true});
 *   <li>{@code previousSecretKeys}: former master keys, comma-separated, added to {@code
 *       server.previous_secret_keys} and {@code BLNK_SERVER_PREVIOUS_SECRET_KEYS};
 *   <li>{@code storeFactory}: a {@link KeyStoreFactory} class; default {@link
 *       KeyStoreFactory#jdbc()}, which reads {@code dataSource} (JNDI name), {@code
 *       dataSourceAttribute} (servlet context attribute), {@code tableName} and {@code migrate};
 *   <li>{@code publicPaths}: comma-separated paths (default {@code /,/health});
 *   <li>{@code apiBasePath}: the API root, e.g. {@code /api} (default: follow the servlet mapping);
 *   <li>{@code tagTargets}: {@code route=pointer[,pointer]} entries separated by {@code ;}, e.g.
 *       {@code /transactions/bulk=/transactions/*}{@code /meta_data};
 *   <li>{@code allowNonExpiringKeys}: {@code true} or {@code false} (default);
 *   <li>{@code maxBodyBytes}: the body limit (default 5 MiB);
 *   <li>{@code refusalDrainBytes}: how much of a refused body is read and discarded (default 64
 *       MiB, see {@link Builder#refusalDrainBytes});
 *   <li>{@code console}: {@code true} to serve the key-management console (default {@code false});
 *   <li>{@code consolePath}: where (default {@code /blnk-auth/console});
 *   <li>{@code trustedProxies}: comma-separated CIDR ranges whose forwarding header is believed
 *       (default none, see {@link Builder#trustedProxies});
 *   <li>{@code forwardedHeader}: {@code X-Forwarded-For} (default) or {@code Forwarded}.
 * </ul>
 *
 * Then the filter owns the {@link BlnkAuth} and the store and closes both in {@link #destroy()}.
 *
 * <p>Thread-safe once initialised.
 */
public final class BlnkAuthFilter implements Filter {

  /** The request attribute holding the {@link io.blnk.auth.BlnkPrincipal} of a granted request. */
  public static final String PRINCIPAL_ATTRIBUTE = "io.blnk.auth.principal";

  /**
   * The request attribute holding the {@link ErrorCode} of a request the filter refused, set as the
   * refusal is written (for metrics and logs; every refusal has it, aggregated ones included).
   */
  public static final String REFUSAL_ATTRIBUTE = "io.blnk.auth.refusal";

  /** The header carrying the key (names are case-insensitive). */
  public static final String HEADER = "X-Blnk-Key";

  /** The default body limit: 5 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 5L * 1024 * 1024;

  /** The default {@link Builder#refusalDrainBytes}: 64 MiB. */
  public static final long DEFAULT_REFUSAL_DRAIN_BYTES = RefusalDrain.DEFAULT_MAX_BYTES;

  private static final Logger LOG = LoggerFactory.getLogger(BlnkAuthFilter.class);

  private volatile FilterSettings settings;

  /** For {@code web.xml}: configured from init parameters in {@link #init}. */
  public BlnkAuthFilter() {}

  private BlnkAuthFilter(FilterSettings.Options options) {
    this.settings = FilterSettings.of(options);
  }

  /** The settings the filter runs on (for tests); null until it is initialised. */
  FilterSettings settings() {
    return settings;
  }

  /**
   * A builder for a filter in code, around a built {@link BlnkAuth}.
   *
   * @param auth the authenticator the filter asks; its registry names the resources routes map to
   * @return a new builder with the defaults
   * @throws NullPointerException if {@code auth} is null
   */
  public static Builder builder(BlnkAuth auth) {
    return new Builder(auth);
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
    if (settings != null) {
      return;
    }
    synchronized (this) {
      if (settings == null) {
        settings = FilterSettings.fromInitParameters(config);
      }
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    FilterSettings s = settings;
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
      LOG.error(
          "BlnkAuthFilter failed on {} request: {}",
          LogText.escape(http.getMethod()),
          LogText.escape(e.toString()),
          e);
      ErrorWriter.write(http, out, Refusal.of(ErrorCode.GEN_INTERNAL));
      s.drain.drain(http);
      return;
    }
    if (next == null) {
      s.drain.drain(http); // the answer is written: let the client finish sending (RefusalDrain)
      return;
    }
    boolean bodyRead = next instanceof AuthenticatedRequest a && a.bodyRead();
    BodyLimit.pass(http, next, out, chain, s.maxBodyBytes, bodyRead, s.drain);
  }

  /** The request to pass on, or null when the response has been written. */
  private static HttpServletRequest decide(FilterSettings s, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      RequestGate.Decision decision = s.gate.decide(request);
      if (decision instanceof RequestGate.Pass) {
        return request;
      }
      if (decision instanceof RequestGate.ServeConsole page) {
        s.console.serve(request, response, page.path());
        return null;
      }
      if (decision instanceof RequestGate.ReportLeaks) {
        s.leaks.serve(request, response);
        return null;
      }
      if (decision instanceof RequestGate.Refuse refuse) {
        ErrorWriter.write(request, response, refuse.refusal());
        return null;
      }
      RateLimitFields.write(request, response);
      if (decision instanceof RequestGate.ManageKeys keys) {
        s.endpoint.serve(request, response, keys.principal(), keys.path());
        return null;
      }
      RequestGate.Admit admit = (RequestGate.Admit) decision;
      BlnkPrincipal principal = admit.principal();
      BodyPolicy.Outcome body =
          principal.isMaster()
              ? new BodyPolicy.Untouched()
              : s.bodies.apply(request, principal.getName(), admit.path());
      if (body instanceof BodyPolicy.Refused refused) {
        ErrorWriter.write(request, response, refused.refusal());
        return null;
      }
      byte[] replaced = body instanceof BodyPolicy.Replaced r ? r.body() : null;
      AuthenticatedRequest wrapped = new AuthenticatedRequest(request, response, principal, replaced);
      wrapped.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
      return wrapped;
    } catch (io.blnk.auth.store.StoreUnavailableException e) {
      LOG.warn("key store unavailable: {}", e.getMessage());
      ErrorWriter.write(request, response, Refusal.storeUnavailable(e));
      return null;
    }
  }

  /** Closes the {@link BlnkAuth} and the store when the filter created them from {@code web.xml}. */
  @Override
  public void destroy() {
    FilterSettings s = settings;
    if (s != null && s.ownedAuth != null) {
      s.ownedAuth.close();
      FilterSettings.closeQuietly(s.ownedStore);
    }
  }

  @Override
  public String toString() {
    FilterSettings s = settings;
    return s == null ? "BlnkAuthFilter[not initialised]" : "BlnkAuthFilter[" + s.auth + "]";
  }

  /**
   * Configures a {@link BlnkAuthFilter}. Each option may be set once: a second call throws {@link
   * IllegalStateException} naming it. The per-segment options ({@link #route}, {@link
   * #requestCost}, {@link #routeById}, {@link #idPrefix}, {@link #tagTargets}) add one rule per
   * call, each key once. {@link #build()} snapshots the options, so the builder may build again
   * and later calls do not change a filter already built. Not thread-safe.
   */
  public static final class Builder {
    /** The options set so far, by name (per-segment ones with their key): each may be set once. */
    private final Set<String> set = new java.util.HashSet<>();
    final BlnkAuth auth;
    Set<String> publicPaths = Set.of("/", "/health");
    final Map<String, String> routes = new LinkedHashMap<>();
    final Map<String, Long> costs = new LinkedHashMap<>();
    final Map<String, String> idRoutes = new LinkedHashMap<>();
    final Map<String, List<String>> tagTargets = new LinkedHashMap<>();
    long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    long refusalDrainBytes = DEFAULT_REFUSAL_DRAIN_BYTES;
    boolean console;
    String consolePath = ConsolePage.DEFAULT_PATH;
    String apiBasePath; // null: follow the servlet mapping
    private Map<String, String> idPrefixes;
    /** Whether {@link #idPrefix} was called, after which {@link #idPrefixes} may not replace. */
    private boolean idPrefixAdded;
    List<IpRange> trustedProxies = List.of();
    ClientAddress.Header forwardedHeader = ClientAddress.Header.X_FORWARDED_FOR;
    io.blnk.auth.KeyEventLog keyEvents; // null: no /api-keys/{id}/events
    String leakPath; // null: the leak-report endpoint is off
    Map<String, String> leakKeys = Map.of();
    io.blnk.auth.LeakAction leakAction = io.blnk.auth.LeakAction.REVOKE;

    private Builder(BlnkAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
    }

    /**
     * Paths that pass without a key, matched exactly against the path inside the API root (so
     * {@code /health} does not cover {@code /health/x}). Default {@code /} and {@code /health}.
     *
     * @param paths the public paths, replacing the default ones
     * @return this builder
     * @throws NullPointerException if {@code paths} is null
     * @throws IllegalArgumentException if a path is null or does not start with {@code /}
     * @throws IllegalStateException if {@code publicPaths} is already set
     */
    public Builder publicPaths(Set<String> paths) {
      Objects.requireNonNull(paths, "paths");
      for (String p : paths) {
        if (p == null || !p.startsWith("/")) {
          throw new IllegalArgumentException("public path must start with '/': " + Text.quote(p));
        }
      }
      Set<String> copy = Set.copyOf(paths);
      once("publicPaths");
      this.publicPaths = copy;
      return this;
    }

    /**
     * The API root inside the context: public paths, routes, tag targets and {@code /api-keys}
     * are relative to it, e.g. {@code apiBasePath("/api")} for Spring's {@code
     * spring.mvc.servlet.path=/api}; {@code ""} or {@code "/"} for the context root. A request
     * outside the root needs a key, matches no route (403 {@code AUTH_UNKNOWN_RESOURCE} for a
     * scoped key) and no public path. Default: follow each request's servlet mapping (the servlet
     * path of a {@code /prefix/*} mapping, else the context root); set it when several servlets
     * are mapped by path.
     *
     * @param path the API root inside the context; a trailing {@code /} is dropped
     * @return this builder
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if the path does not start with {@code /}, or has an empty,
     *     dot or {@code *} segment
     * @throws IllegalStateException if {@code apiBasePath} is already set
     */
    public Builder apiBasePath(String path) {
      Objects.requireNonNull(path, "path");
      String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
      if (!p.isEmpty()) {
        if (!p.startsWith("/")) {
          throw new IllegalArgumentException("apiBasePath must start with '/': " + Text.quote(path));
        }
        for (String segment : p.substring(1).split("/", -1)) {
          if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("*")) {
            throw new IllegalArgumentException("apiBasePath has an invalid segment: " + Text.quote(path));
          }
        }
      }
      once("apiBasePath");
      this.apiBasePath = p;
      return this;
    }

    /**
     * Maps a first path segment to a resource, e.g. {@code route("mocked-account", "accounts")};
     * replaces a default rule for the same segment. The resource must be in the {@link
     * BlnkAuth#registry()}, checked by {@link #build()}. Segments are matched exactly (case
     * included).
     *
     * @param firstSegment the first path segment inside the API root, e.g. {@code accounts}
     * @param resource the registry's resource name that requests under the segment need
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code firstSegment} is empty or holds a {@code /}
     * @throws IllegalStateException if a route for {@code firstSegment} is already set
     */
    public Builder route(String firstSegment, String resource) {
      String segment = segment(firstSegment);
      Objects.requireNonNull(resource, "resource");
      once("route " + Text.quote(segment));
      routes.put(segment, resource);
      return this;
    }

    /**
     * What a request under {@code /<firstSegment>} costs against its key's rate limits and
     * credits (default 1), e.g. {@code requestCost("search", 5)}. The master key is never charged.
     *
     * @param firstSegment the first path segment inside the API root
     * @param cost the units one request charges, at least 1
     * @return this builder
     * @throws NullPointerException if {@code firstSegment} is null
     * @throws IllegalArgumentException if {@code cost} is below 1, or {@code firstSegment} is
     *     empty or holds a {@code /}
     * @throws IllegalStateException if a cost for {@code firstSegment} is already set
     */
    public Builder requestCost(String firstSegment, long cost) {
      if (cost < 1) {
        throw new IllegalArgumentException("cost must be at least 1, was " + cost);
      }
      String segment = segment(firstSegment);
      once("requestCost " + Text.quote(segment));
      costs.put(segment, cost);
      return this;
    }

    /**
     * Maps {@code /{id}/<segment>} (exactly two segments, the first matching no {@link #route}) to
     * a resource. The default has {@code routeById("metadata", "metadata")}.
     *
     * @param secondSegment the second path segment, after the record id
     * @param resource the registry's resource name that such requests need
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code secondSegment} is empty or holds a {@code /}
     * @throws IllegalStateException if a rule for {@code secondSegment} is already set
     */
    public Builder routeById(String secondSegment, String resource) {
      String segment = segment(secondSegment);
      Objects.requireNonNull(resource, "resource");
      once("routeById " + Text.quote(segment));
      idRoutes.put(segment, resource);
      return this;
    }

    /**
     * Maps a record id prefix to the resource of the records it names, e.g. {@code
     * idPrefix("ldg_", "ledgers")}, adding to or replacing in the table. A {@link #routeById} path
     * {@code /{id}/<segment>} is authorised as its own resource and also as the resource of the
     * record {@code {id}} names (longest matching prefix), with the same action; an id with no
     * known prefix is refused for scoped keys with 403 {@code AUTH_UNKNOWN_RESOURCE}, and a
     * master-only resource stays master-only. The default table is Blnk's: {@code txn_} and
     * {@code bulk_} transactions, {@code ldg_} ledgers, {@code bln_} balances, {@code idt_}
     * identities, {@code acc_} accounts, {@code mon_} balance-monitors, {@code hook_} hooks,
     * {@code recon_} reconciliation, {@code api_key_} api-keys (each where the registry has the
     * resource). The resource must be in the registry, checked by {@link #build()}.
     *
     * @param prefix the record id prefix, e.g. {@code ldg_}
     * @param resource the registry's resource name of the records the prefix names
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code prefix} is empty or holds a {@code /}
     * @throws IllegalStateException if {@code prefix} is already set by this method
     */
    public Builder idPrefix(String prefix, String resource) {
      String p = segment(prefix);
      Objects.requireNonNull(resource, "resource");
      once("idPrefix " + Text.quote(p));
      idPrefixes().put(p, resource);
      idPrefixAdded = true;
      return this;
    }

    /**
     * Replaces the whole record id prefix table (see {@link #idPrefix}); an empty map refuses
     * every {@link #routeById} path to scoped keys.
     *
     * @param prefixToResource record id prefix to resource name, tried longest prefix first
     * @return this builder
     * @throws NullPointerException if the map, a prefix or a resource is null
     * @throws IllegalArgumentException if a prefix is empty or holds a {@code /}
     * @throws IllegalStateException if {@code idPrefixes} is already set, or {@link #idPrefix}
     *     was called before (whose rules it would discard)
     */
    public Builder idPrefixes(Map<String, String> prefixToResource) {
      Objects.requireNonNull(prefixToResource, "prefixToResource");
      Map<String, String> table = new LinkedHashMap<>();
      prefixToResource.forEach(
          (prefix, resource) -> table.put(segment(prefix), Objects.requireNonNull(resource, "resource")));
      if (idPrefixAdded) {
        throw new IllegalStateException(
            "idPrefixes replaces the whole table: call it before idPrefix, not after");
      }
      once("idPrefixes");
      this.idPrefixes = table;
      return this;
    }

    Map<String, String> idPrefixes() {
      if (idPrefixes == null) {
        idPrefixes = new LinkedHashMap<>(Routes.defaultIdPrefixes(auth.registry()));
      }
      return idPrefixes;
    }

    private static String segment(String s) {
      Objects.requireNonNull(s, "segment");
      if (s.isEmpty() || s.indexOf('/') >= 0) {
        throw new IllegalArgumentException("a segment is non-empty and has no '/': " + Text.quote(s));
      }
      return s;
    }

    /**
     * Where {@code BLNK_GENERATED_BY} goes in bodies sent to {@code route} (a path inside the API
     * root whose segments match exactly, {@code *} matching any one segment): JSON pointers whose
     * token {@code *} matches every array element, e.g. {@code tagTargets("/transactions/bulk",
     * "/transactions/*}{@code /meta_data")}. Replaces the default {@code /meta_data} for that
     * route; routes are tried in the order given.
     *
     * @param route the route, a path inside the API root ({@code *} matches one segment)
     * @param pointers the JSON pointers to tag in that route's bodies
     * @return this builder
     * @throws NullPointerException if {@code route}, {@code pointers} or a pointer is null
     * @throws IllegalArgumentException if the route or a pointer is malformed, or no pointer is
     *     given
     * @throws IllegalStateException if targets for {@code route} are already set
     */
    public Builder tagTargets(String route, String... pointers) {
      List<String> list = List.of(pointers);
      TagTargets.of(Map.of(route, list)); // validates now
      once("tagTargets " + Text.quote(route));
      tagTargets.put(route, list);
      return this;
    }

    /**
     * The largest request body, for every request the filter passes on or answers itself (master
     * key, scoped key, public path, secure mode off; any method): a larger declared {@code
     * Content-Length} answers 413 {@code GEN_PAYLOAD_TOO_LARGE} before the application runs, and a
     * chunked body fails the read that passes the limit (then 413 unless the application answered).
     * Default 5 MiB.
     *
     * @param bytes the largest body in bytes
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is below 1 or above {@code
     *     Integer.MAX_VALUE - 8}
     * @throws IllegalStateException if {@code maxBodyBytes} is already set
     */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("maxBodyBytes must be between 1 and 2^31-9, was " + bytes);
      }
      once("maxBodyBytes");
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Whether the filter serves the key-management console (a static page that signs in with a key
     * and manages keys through {@code /api-keys}) at {@link #consolePath}, without a key, for {@code
     * GET} and {@code HEAD}. Default {@code false}: when off, the console costs the request path one
     * null check.
     *
     * @param enabled true to serve the console
     * @return this builder
     * @throws IllegalStateException if {@code console} is already set
     */
    public Builder console(boolean enabled) {
      once("console");
      this.console = enabled;
      return this;
    }

    /**
     * Where the console is served, inside the context; default {@code /blnk-auth/console}.
     *
     * @throws IllegalArgumentException unless the path is absolute, has plain segments ({@code
     *     [A-Za-z0-9._~-]}, no dot segments) and no trailing slash, and is not under {@code
     *     /api-keys}
     *
     * @param path the console's path inside the context
     * @return this builder
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalStateException if {@code consolePath} is already set
     */
    public Builder consolePath(String path) {
      String checked = ConsolePage.checkPath(path);
      once("consolePath");
      this.consolePath = checked;
      return this;
    }

    /**
     * How much of a refused request's unread body the filter reads and discards after answering,
     * so that a client still uploading sees the answer instead of a reset connection (at most 10 s
     * per request, too). A body declared longer, or still arriving beyond it, is left unread and the
     * container closes the connection. Not read under {@code Expect: 100-continue}: the client has
     * not sent the body and gets its answer at once. Default 64 MiB; 0 never reads.
     *
     * @param bytes the most bytes to read and discard, 0 for none
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if {@code refusalDrainBytes} is already set
     */
    public Builder refusalDrainBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("refusalDrainBytes must not be negative, was " + bytes);
      }
      once("refusalDrainBytes");
      this.refusalDrainBytes = bytes;
      return this;
    }

    /**
     * The proxies whose forwarding header is believed, as CIDR ranges or single addresses (IPv4
     * and IPv6), e.g. {@code List.of("10.0.0.0/8", "2001:db8::/32")}. Default none: the client
     * address is the socket's ({@code getRemoteAddr()}), the right answer when nothing stands in
     * front of the container. With trusted proxies, a request whose socket peer is one of them has
     * its {@link #forwardedHeader} read right to left past trusted hops only; the first other hop
     * is the client, for key IP lists ({@code allowed_ips}), the per-address limits of the
     * verification pool and events. A hop that is not an IP literal ends the walk with {@code
     * unknown}, which no IP list permits. An empty list trusts none.
     *
     * @param cidrs the trusted proxies' addresses or CIDR ranges
     * @return this builder
     * @throws NullPointerException if {@code cidrs} or an entry is null
     * @throws IllegalArgumentException if an entry is not an IP literal with an optional {@code
     *     /prefix}, has host bits set past the prefix, or is listed twice
     * @throws IllegalStateException if {@code trustedProxies} is already set
     */
    public Builder trustedProxies(java.util.Collection<String> cidrs) {
      Objects.requireNonNull(cidrs, "cidrs");
      List<IpRange> ranges = new ArrayList<>(cidrs.size());
      Set<String> seen = new java.util.HashSet<>();
      for (String c : cidrs) {
        IpRange range = IpRange.parse(Objects.requireNonNull(c, "cidr"));
        if (!seen.add(range.toString())) {
          throw new IllegalArgumentException(
              "trustedProxies lists " + Text.quote(range.toString()) + " twice");
        }
        ranges.add(range);
      }
      once("trustedProxies");
      this.trustedProxies = List.copyOf(ranges);
      return this;
    }

    /**
     * The one header the {@link #trustedProxies} write: {@code X-Forwarded-For} (default) or
     * RFC 7239 {@code Forwarded}. Only this header is read: a proxy appending to one passes a
     * client's own copy of the other through unchanged.
     *
     * @param name {@code X-Forwarded-For} or {@code Forwarded}
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException for another name
     * @throws IllegalStateException if {@code forwardedHeader} is already set
     */
    public Builder forwardedHeader(String name) {
      ClientAddress.Header header = ClientAddress.Header.named(Objects.requireNonNull(name, "name"));
      once("forwardedHeader");
      this.forwardedHeader = header;
      return this;
    }

    /**
     * Serves {@code GET /api-keys/{id}/events} from {@code log}, typically blnk-auth-jdbc's {@code
     * JdbcAuditListener} (also installed as a listener, so that it records events): a key's events
     * newest first, under the owner rules of {@code GET /api-keys/{id}}, a page at a time ({@code
     * ?limit=}, default 50, at most {@value io.blnk.auth.KeyEventLog#MAX_LIMIT}; {@code
     * ?cursor=} from the previous page's {@code next_cursor}). Default none: the path is not served.
     *
     * @param log where the events are read from
     * @return this builder
     * @throws NullPointerException if {@code log} is null
     * @throws IllegalStateException if {@code keyEvents} is already set
     */
    public Builder keyEvents(io.blnk.auth.KeyEventLog log) {
      Objects.requireNonNull(log, "log");
      once("keyEvents");
      this.keyEvents = log;
      return this;
    }

    /**
     * Serves GitHub's secret scanning partner programme at {@code path} (inside the context, no
     * key needed, {@code POST} only): a report signed by one of {@code publicKeys} (key identifier
     * to PEM of an EC P-256 public key, as GitHub publishes at {@code
     * https://api.github.com/meta/public_keys/secret_scanning}; configured here, never fetched)
     * has each reported key revoked or disabled ({@code action}) and a {@code KEY_LEAKED} event
     * emitted; the answer is the programme's feedback array. A report naming a key already in that
     * state changes nothing and emits nothing. Default off.
     *
     * @param path the endpoint's path inside the context, e.g. {@code /blnk-auth/leaks}
     * @param publicKeys GitHub's signing keys: key identifier to PEM
     * @param action {@code REVOKE} or {@code DISABLE}
     * @return this builder
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the path is not a plain absolute path outside {@code
     *     /api-keys}, no key is given, or a PEM is not an EC P-256 public key
     * @throws IllegalStateException if {@code leakResponse} is already set
     */
    public Builder leakResponse(
        String path, Map<String, String> publicKeys, io.blnk.auth.LeakAction action) {
      Objects.requireNonNull(publicKeys, "publicKeys");
      io.blnk.auth.LeakAction a = Objects.requireNonNull(action, "action");
      LeakReportEndpoint.checkPath(Objects.requireNonNull(path, "path"));
      if (publicKeys.isEmpty()) {
        throw new IllegalArgumentException("leak response needs at least one GitHub public key");
      }
      publicKeys.forEach(LeakReportEndpoint::publicKey); // validates now
      once("leakResponse");
      this.leakPath = path;
      this.leakKeys = Map.copyOf(publicKeys);
      this.leakAction = a;
      return this;
    }

    /**
     * The filter.
     *
     * @return a filter configured from this builder, to register with the container

     * @throws IllegalArgumentException if a route names a resource outside the registry

     */
    public BlnkAuthFilter build() {
      return new BlnkAuthFilter(options());
    }

    /** A snapshot of the options, defaults included, with copies of the tables. */
    FilterSettings.Options options() {
      return new FilterSettings.Options(
              auth,
              publicPaths,
              routes,
              costs,
              idRoutes,
              idPrefixes != null ? idPrefixes : Routes.defaultIdPrefixes(auth.registry()),
              tagTargets,
              maxBodyBytes,
              refusalDrainBytes,
              console,
              consolePath,
              apiBasePath,
              trustedProxies,
              forwardedHeader,
              keyEvents,
              leakPath,
              leakKeys,
              leakAction);
    }

    /**
     * Records that {@code option} is set.
     *
     * @throws IllegalStateException naming the option if it was set before
     */
    private void once(String option) {
      if (!set.add(option)) {
        throw new IllegalStateException(option + " is already set");
      }
    }
  }
}
