package io.blnk.auth.servlet;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a checked path to the resource it touches: its first segment through a table, else
 * {@code /{id}/<segment>} through a second table (Blnk's {@code /{id}/metadata}). A {@code
 * /{id}/<segment>} route is authorised twice: as its own resource ({@code metadata}) and as the
 * resource of the record {@code {id}} names, found by the id's type prefix ({@code ldg_} →
 * ledgers, ...); an id with no known prefix touches an unknown resource. Immutable and
 * thread-safe; the prefix lookup allocates nothing.
 */
final class Routes {

  /** Blnk's aliases: first segment to resource. */
  static final Map<String, String> BLNK_ALIASES =
      Map.of(
          "mocked-account", "accounts",
          "multi-search", "search",
          "refund-transaction", "transactions");

  /**
   * Blnk's record id prefixes (each id is the prefix followed by a UUID) and the resources they
   * name, from Blnk Core's {@code getEntityTypeFromID} ({@code txn_}, {@code bulk_}, {@code ldg_},
   * {@code bln_}, {@code idt_}: the records its {@code /{id}/metadata} updates) and its id
   * generators ({@code acc_}, {@code mon_}, {@code hook_}, {@code recon_}); plus this library's own
   * {@code api_key_}.
   */
  static final Map<String, String> BLNK_ID_PREFIXES =
      Map.of(
          "txn_", "transactions",
          "bulk_", "transactions",
          "ldg_", "ledgers",
          "bln_", "balances",
          "idt_", "identities",
          "acc_", "accounts",
          "mon_", "balance-monitors",
          "hook_", "hooks",
          "recon_", "reconciliation",
          "api_key_", "api-keys");

  private static final Optional<Resource> UNKNOWN = Optional.empty();

  private final Map<String, Optional<Resource>> byFirst;
  private final Map<String, Optional<Resource>> bySecond;
  /** Id prefixes, longest first, and the resources they name (same index). */
  private final String[] prefixes;
  private final Optional<Resource>[] prefixResources;

  private Routes(
      Map<String, Optional<Resource>> byFirst,
      Map<String, Optional<Resource>> bySecond,
      Map<String, Optional<Resource>> byPrefix) {
    this.byFirst = Map.copyOf(byFirst);
    this.bySecond = Map.copyOf(bySecond);
    this.prefixes =
        byPrefix.keySet().stream()
            .sorted((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b))
            .toArray(String[]::new);
    @SuppressWarnings("unchecked")
    Optional<Resource>[] resources = new Optional[prefixes.length];
    for (int i = 0; i < prefixes.length; i++) {
      resources[i] = byPrefix.get(prefixes[i]);
    }
    this.prefixResources = resources;
  }

  /**
   * The table for {@code registry}: each resource under its own name, Blnk's aliases and {@code
   * /{id}/metadata} where their resources exist, then the host's rules, which win.
   *
   * @throws IllegalArgumentException if a host rule names a resource outside the registry
   */
  static Routes build(
      ResourceRegistry registry, Map<String, String> firstRules, Map<String, String> secondRules) {
    return build(registry, firstRules, secondRules, defaultIdPrefixes(registry));
  }

  /** Blnk's id prefixes whose resources exist in {@code registry}. */
  static Map<String, String> defaultIdPrefixes(ResourceRegistry registry) {
    Map<String, String> out = new LinkedHashMap<>();
    BLNK_ID_PREFIXES.forEach(
        (prefix, resource) -> {
          if (registry.find(resource).isPresent()) {
            out.put(prefix, resource);
          }
        });
    return out;
  }

  /**
   * As {@link #build(ResourceRegistry, Map, Map)}, with {@code idPrefixes} as the table of record
   * id prefixes (replacing Blnk's).
   *
   * @throws IllegalArgumentException if a rule or prefix names a resource outside the registry
   */
  static Routes build(
      ResourceRegistry registry,
      Map<String, String> firstRules,
      Map<String, String> secondRules,
      Map<String, String> idPrefixes) {
    Map<String, String> first = new LinkedHashMap<>();
    for (Resource r : registry.resources()) {
      first.put(r.name(), r.name());
    }
    BLNK_ALIASES.forEach(
        (segment, resource) -> {
          if (registry.find(resource).isPresent()) {
            first.put(segment, resource);
          }
        });
    Map<String, String> second = new LinkedHashMap<>();
    if (registry.find("metadata").isPresent()) {
      second.put("metadata", "metadata");
    }
    first.putAll(firstRules);
    second.putAll(secondRules);
    return new Routes(
        resolve(registry, first), resolve(registry, second), resolve(registry, idPrefixes));
  }

  private static Map<String, Optional<Resource>> resolve(
      ResourceRegistry registry, Map<String, String> rules) {
    Map<String, Optional<Resource>> out = new HashMap<>();
    rules.forEach(
        (segment, resource) -> {
          Optional<Resource> r = registry.find(resource);
          if (r.isEmpty()) {
            throw new IllegalArgumentException(
                "route " + segment + " -> " + resource + ": no such resource in the registry");
          }
          out.put(segment, r);
        });
    return out;
  }

  /**
   * Authorises {@code principal} for a checked path outside {@code /api-keys}: the route's resource
   * and, for {@code /{id}/<segment>}, also the resource of the record the id names, with the same
   * action. The first refusal is the answer.
   */
  AuthResult authorize(
      BlnkAuth auth, BlnkPrincipal principal, String path, String method, String remote) {
    Optional<Resource> first = byFirst.get(RequestPaths.segment(path, 0));
    if (first != null) {
      return auth.authorize(principal, first, method, remote);
    }
    if (RequestPaths.segmentCount(path) == 2) {
      Optional<Resource> second = bySecond.get(RequestPaths.segment(path, 1));
      if (second != null) {
        AuthResult asRoute = auth.authorize(principal, second, method, remote);
        return asRoute.granted() ? auth.authorize(principal, recordOf(path), method, remote) : asRoute;
      }
    }
    return auth.authorize(principal, UNKNOWN, method, remote);
  }

  /** The resource of the record {@code /{id}/...} names, by the id's prefix, or empty. */
  Optional<Resource> recordOf(String path) {
    for (int i = 0; i < prefixes.length; i++) {
      String prefix = prefixes[i];
      int end = 1 + prefix.length();
      if (path.startsWith(prefix, 1) && path.length() > end && path.charAt(end) != '/') {
        return prefixResources[i];
      }
    }
    return UNKNOWN;
  }

  /** The resource a checked path touches, or empty. */
  Optional<Resource> resourceOf(String path) {
    Optional<Resource> r = byFirst.get(RequestPaths.segment(path, 0));
    if (r != null) {
      return r;
    }
    if (RequestPaths.segmentCount(path) == 2) {
      Optional<Resource> s = bySecond.get(RequestPaths.segment(path, 1));
      if (s != null) {
        return s;
      }
    }
    return Optional.empty();
  }
}
