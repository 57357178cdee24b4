package io.blnk.auth.servlet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where {@code BLNK_GENERATED_BY} goes, per route: JSON-pointer patterns ({@code /meta_data},
 * {@code /transactions/*}{@code /meta_data}) chosen by the request's path inside the API root.
 * A route is a path whose segments are matched exactly, {@code *} matching any one segment; the
 * first declared route that matches wins, else the default {@code /meta_data}. Immutable and
 * thread-safe.
 */
final class TagTargets {

  /** The default target: a top-level {@code meta_data} object. */
  static final Pointer META_DATA = Pointer.parse("/meta_data");

  /**
   * A JSON-pointer pattern: reference tokens (RFC 6901, {@code ~0} and {@code ~1} unescaped),
   * where {@code *} matches every element of an array. The last token names an object member.
   *
   * @param tokens the unescaped tokens, at least one, the last not {@code *}
   */
  record Pointer(List<String> tokens) {
    Pointer {
      tokens = List.copyOf(tokens);
    }

    /**
     * Parses {@code /a/*}{@code /b}.
     *
     * @throws IllegalArgumentException if the text is not a pointer with at least one token whose
     *     last token names a member
     */
    static Pointer parse(String text) {
      Objects.requireNonNull(text, "pointer");
      if (!text.startsWith("/") || text.length() < 2) {
        throw new IllegalArgumentException(
            "a tag target is a JSON pointer such as /meta_data, was " + Text.quote(text));
      }
      List<String> tokens = new ArrayList<>();
      for (String raw : text.substring(1).split("/", -1)) {
        if (raw.matches(".*~(?![01]).*")) {
          throw new IllegalArgumentException("tag target " + Text.quote(text) + ": '~' must be ~0 or ~1");
        }
        tokens.add(raw.replace("~1", "/").replace("~0", "~"));
      }
      String last = tokens.get(tokens.size() - 1);
      if (last.equals("*") || last.isEmpty()) {
        throw new IllegalArgumentException(
            "tag target " + Text.quote(text) + ": the last token must name an object member");
      }
      return new Pointer(tokens);
    }

    int size() {
      return tokens.size();
    }

    String token(int i) {
      return tokens.get(i);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      for (String t : tokens) {
        s.append('/').append(t.replace("~", "~0").replace("/", "~1"));
      }
      return s.toString();
    }
  }

  private final Map<List<String>, List<Pointer>> routes;

  private TagTargets(Map<List<String>, List<Pointer>> routes) {
    this.routes = routes;
  }

  /** Only the default, {@code /meta_data}, everywhere. */
  static TagTargets defaults() {
    return new TagTargets(Map.of());
  }

  /**
   * Targets per route.
   *
   * @param routes route path (e.g. {@code /transactions/bulk}) to pointer texts, in the order
   *     routes are tried
   * @throws IllegalArgumentException if a route or a pointer is malformed
   */
  static TagTargets of(Map<String, List<String>> routes) {
    Map<List<String>, List<Pointer>> out = new LinkedHashMap<>();
    routes.forEach(
        (route, pointers) -> {
          List<Pointer> parsed = new ArrayList<>();
          for (String p : pointers) {
            parsed.add(Pointer.parse(p));
          }
          if (parsed.isEmpty()) {
            throw new IllegalArgumentException("route " + Text.quote(route) + " needs at least one tag target");
          }
          out.put(routeSegments(route), List.copyOf(parsed));
        });
    return new TagTargets(out);
  }

  /** The segments of a route path; checked. */
  static List<String> routeSegments(String route) {
    Objects.requireNonNull(route, "route");
    if (!route.startsWith("/") || route.length() < 2) {
      throw new IllegalArgumentException("a tag route is a path such as /transactions/bulk, was " + Text.quote(route));
    }
    String body = route.endsWith("/") ? route.substring(1, route.length() - 1) : route.substring(1);
    List<String> segments = List.of(body.split("/", -1));
    for (String s : segments) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException("tag route " + Text.quote(route) + " has an empty segment");
      }
    }
    return segments;
  }

  /** The targets for a checked path inside the API root. */
  List<Pointer> forPath(String path) {
    if (!routes.isEmpty()) {
      int count = RequestPaths.segmentCount(path);
      for (Map.Entry<List<String>, List<Pointer>> e : routes.entrySet()) {
        List<String> route = e.getKey();
        if (route.size() != count) {
          continue;
        }
        boolean match = true;
        for (int i = 0; i < count && match; i++) {
          String want = route.get(i);
          match = want.equals("*") || want.equals(RequestPaths.segment(path, i));
        }
        if (match) {
          return e.getValue();
        }
      }
    }
    return List.of(META_DATA);
  }

  @Override
  public String toString() {
    return "TagTargets" + routes;
  }
}
