package io.blnk.auth.servlet;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a request needs, built once from a {@link BlnkAuthFilter.Builder} or from init
 * parameters: the request gate, the body policy and the {@code /api-keys} endpoint, plus the
 * {@link BlnkAuth} and store the filter owns when it built them itself. Immutable and thread-safe.
 */
final class FilterSettings {

  private static final Logger LOG = LoggerFactory.getLogger(FilterSettings.class);

  final BlnkAuth auth;
  final RequestGate gate;
  /** Finds a request's client address (the socket's, or past trusted proxies). */
  final ClientAddress clients;
  /** The leak-report endpoint, or null when off (the default). */
  final LeakReportEndpoint leaks;
  final BodyPolicy bodies;
  final ApiKeysEndpoint endpoint;
  final long maxBodyBytes;
  final RefusalDrain drain;
  /** The key-management console, or null when it is off (the default). */
  final ConsolePage console;
  /** The {@link BlnkAuth} and store built from init parameters, closed by the filter; else null. */
  final BlnkAuth ownedAuth;
  final KeyStore ownedStore;

  /**
   * The options of a {@link BlnkAuthFilter.Builder} at {@link BlnkAuthFilter.Builder#build()},
   * defaults included; the tables are unmodifiable copies (in their order), so the builder's later
   * use cannot reach a built filter.
   *
   * <p>{@code apiBasePath} is null to follow the servlet mapping, {@code keyEvents} null when
   * {@code /api-keys/{id}/events} is not served, {@code leakPath} null when the leak-report
   * endpoint is off.
   */
  record Options(
      BlnkAuth auth,
      Set<String> publicPaths,
      Map<String, String> routes,
      Map<String, Long> costs,
      Map<String, String> idRoutes,
      Map<String, String> idPrefixes,
      Map<String, List<String>> tagTargets,
      long maxBodyBytes,
      long refusalDrainBytes,
      boolean console,
      String consolePath,
      String apiBasePath,
      List<IpRange> trustedProxies,
      ClientAddress.Header forwardedHeader,
      io.blnk.auth.KeyEventLog keyEvents,
      String leakPath,
      Map<String, String> leakKeys,
      io.blnk.auth.LeakAction leakAction) {
    Options {
      publicPaths = Set.copyOf(publicPaths);
      routes = ordered(routes);
      costs = ordered(costs);
      idRoutes = ordered(idRoutes);
      idPrefixes = ordered(idPrefixes);
      Map<String, List<String>> targets = new LinkedHashMap<>();
      tagTargets.forEach((route, pointers) -> targets.put(route, List.copyOf(pointers)));
      tagTargets = Collections.unmodifiableMap(targets);
      trustedProxies = List.copyOf(trustedProxies);
      leakKeys = Map.copyOf(leakKeys);
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
  }

  /** The options these settings were made of. */
  final Options options;

  private FilterSettings(Options o, BlnkAuth ownedAuth, KeyStore ownedStore) {
    this.options = o;
    this.auth = o.auth();
    Routes routes = Routes.build(o.auth().registry(), o.routes(), o.idRoutes(), o.idPrefixes());
    this.console = o.console() ? new ConsolePage(o.consolePath(), o.auth()) : null;
    this.clients = new ClientAddress(o.trustedProxies(), o.forwardedHeader());
    this.leaks =
        o.leakPath() == null
            ? null
            : new LeakReportEndpoint(
                o.leakPath(),
                o.leakKeys(),
                (token, url, source) ->
                    o.auth().keys().reportLeaked(token, o.leakAction(), "github").found(),
                o.maxBodyBytes());
    this.gate =
        new RequestGate(
            o.auth(), routes, o.publicPaths(), o.apiBasePath(), console, clients, leaks, o.costs());
    this.bodies = new BodyPolicy(o.maxBodyBytes(), TagTargets.of(o.tagTargets()));
    this.endpoint = new ApiKeysEndpoint(o.auth().keys(), bodies, o.auth().clock(), o.keyEvents());
    this.maxBodyBytes = o.maxBodyBytes();
    this.drain = new RefusalDrain(o.refusalDrainBytes(), RefusalDrain.DEFAULT_MAX_TIME, System::nanoTime);
    this.ownedAuth = ownedAuth;
    this.ownedStore = ownedStore;
  }

  /**
   * From a builder's options; the host owns the {@link BlnkAuth}.
   *
   * @throws IllegalArgumentException if a route names a resource outside the registry
   */
  static FilterSettings of(Options options) {
    return new FilterSettings(options, null, null);
  }

  /** From a builder, as its {@link BlnkAuthFilter.Builder#build()} does (for tests). */
  static FilterSettings of(BlnkAuthFilter.Builder builder) {
    return of(builder.options());
  }

  /**
   * From init parameters (see {@link BlnkAuthFilter}'s class comment); the settings own the
   * {@link BlnkAuth} and the store.
   *
   * @throws ServletException if the configuration is invalid, the master key weak, or the store
   *     cannot be created; the message says which
   */
  static FilterSettings fromInitParameters(FilterConfig config) throws ServletException {
    KeyStore store = null;
    try {
      boolean useEnv = parseBoolean("environment", param(config, "environment", "true"));
      Map<String, String> env = useEnv ? System.getenv() : Map.of();
      BlnkConfig settings = readConfig(config, env);
      String previous = param(config, "previousSecretKeys", null);
      if (previous != null) {
        settings = settings.withPreviousSecretKeys(BlnkConfig.commaSeparated(previous));
      }
      store = storeFactory(config).create(config);
      BlnkAuth.Builder ab = settings.applyTo(BlnkAuth.builder()).store(store);
      ab.allowNonExpiringKeys(
          parseBoolean("allowNonExpiringKeys", param(config, "allowNonExpiringKeys", "false")));
      BlnkAuth auth = ab.build();
      try {
        return new FilterSettings(builderFrom(config, auth).options(), auth, store);
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

  /** The filter settings among the init parameters, on a builder. */
  static BlnkAuthFilter.Builder builderFrom(FilterConfig config, BlnkAuth auth) {
    BlnkAuthFilter.Builder fb = BlnkAuthFilter.builder(auth);
    String paths = param(config, "publicPaths", null);
    if (paths != null) {
      fb.publicPaths(new LinkedHashSet<>(BlnkConfig.commaSeparated(paths)));
    }
    String max = param(config, "maxBodyBytes", null);
    if (max != null) {
      try {
        fb.maxBodyBytes(Long.parseLong(max.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("maxBodyBytes must be a number, was " + Text.quote(max));
      }
    }
    fb.console(parseBoolean("console", param(config, "console", "false")));
    String consolePath = param(config, "consolePath", null);
    if (consolePath != null) {
      fb.consolePath(consolePath);
    }
    String drain = param(config, "refusalDrainBytes", null);
    if (drain != null) {
      try {
        fb.refusalDrainBytes(Long.parseLong(drain.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("refusalDrainBytes must be a number, was " + Text.quote(drain));
      }
    }
    String proxies = param(config, "trustedProxies", null);
    if (proxies != null) {
      fb.trustedProxies(BlnkConfig.commaSeparated(proxies));
    }
    String forwarded = param(config, "forwardedHeader", null);
    if (forwarded != null) {
      fb.forwardedHeader(forwarded);
    }
    String base = config.getInitParameter("apiBasePath");
    if (base != null) {
      fb.apiBasePath(base.trim());
    }
    String targets = param(config, "tagTargets", null);
    if (targets != null) {
      parseTagTargets(targets).forEach((route, pointers) -> fb.tagTargets(route, pointers.toArray(new String[0])));
    }
    return fb;
  }

  /**
   * {@code route=pointer,pointer; route=pointer} (entries separated by {@code ;} or new lines).
   *
   * @throws IllegalArgumentException if an entry has no {@code =}
   */
  static Map<String, List<String>> parseTagTargets(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String entry : text.split("[;\\n]")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "tagTargets entries are route=pointer[,pointer], was " + Text.quote(entry.trim()));
      }
      out.put(entry.substring(0, eq).trim(), BlnkConfig.commaSeparated(entry.substring(eq + 1)));
    }
    return out;
  }

  private static BlnkConfig readConfig(FilterConfig config, Map<String, String> env)
      throws IOException {
    String path = param(config, "config", null);
    if (path == null) {
      return BlnkConfig.fromEnvironment(env);
    }
    if (path.startsWith("/WEB-INF/")) {
      try (InputStream in = config.getServletContext().getResourceAsStream(path)) {
        if (in == null) {
          LOG.info("no web application resource {}: the environment alone configures blnk-auth", path);
          return BlnkConfig.fromEnvironment(env);
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
      Class<?> type =
          Class.forName(name.trim(), true, loader != null ? loader : BlnkAuthFilter.class.getClassLoader());
      return (KeyStoreFactory) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new ServletException(
          "BlnkAuthFilter: storeFactory "
              + Text.quote(name)
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
    throw new IllegalArgumentException(name + " must be true or false, was " + Text.quote(value));
  }

  static void closeQuietly(KeyStore store) {
    if (store != null) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.warn("could not close the key store: {}", e.toString());
      }
    }
  }

}
