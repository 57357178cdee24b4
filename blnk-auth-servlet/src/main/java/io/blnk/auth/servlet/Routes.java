package io.blnk.auth.servlet;

import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a checked path to the resource it touches: its first segment through a table, else
 * {@code /{id}/<segment>} through a second table (Blnk's {@code /{id}/metadata}). Immutable and
 * thread-safe; lookups allocate nothing.
 */
final class Routes {

  /** Blnk's aliases: first segment to resource. */
  static final Map<String, String> BLNK_ALIASES =
      Map.of(
          "mocked-account", "accounts",
          "multi-search", "search",
          "refund-transaction", "transactions");

  private final Map<String, Optional<Resource>> byFirst;
  private final Map<String, Optional<Resource>> bySecond;

  private Routes(Map<String, Optional<Resource>> byFirst, Map<String, Optional<Resource>> bySecond) {
    this.byFirst = Map.copyOf(byFirst);
    this.bySecond = Map.copyOf(bySecond);
  }

  /**
   * The table for {@code registry}: each resource under its own name, Blnk's aliases and {@code
   * /{id}/metadata} where their resources exist, then the host's rules, which win.
   *
   * @throws IllegalArgumentException if a host rule names a resource outside the registry
   */
  static Routes build(
      ResourceRegistry registry, Map<String, String> firstRules, Map<String, String> secondRules) {
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
    return new Routes(resolve(registry, first), resolve(registry, second));
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
