package io.blnk.auth.servlet;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.scope.Resource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key-management console: a static page (HTML, CSS, one script) shipped in this module and
 * served by the filter at a configured path, before any authentication, for {@code GET} and {@code
 * HEAD} only.
 *
 * <p>The page holds no privilege of its own: it signs in with a key the operator types, keeps it in
 * the page's memory only, and calls the {@code /api-keys} endpoints with it, so it can do nothing a
 * key could not do through the API. What the server adds is {@code settings.json}: where the
 * endpoints are, the key prefix, the registry's resources (for the scope picker) and the idle
 * timeout, none of which is secret.
 *
 * <p>Every answer carries a strict Content-Security-Policy (own origin only, no inline script or
 * style, no framing, Trusted Types required so that the script cannot assign markup), {@code
 * X-Frame-Options: DENY}, {@code Cache-Control: no-store}, {@code X-Content-Type-Options: nosniff}
 * and {@code Referrer-Policy: no-referrer}.
 *
 * <p>Paths, relative to the configured one ({@code /blnk-auth/console} by default): the path itself
 * redirects to the path with a slash; {@code /} is the page; {@code /console.css}, {@code
 * /console.js}, {@code /favicon.svg}, {@code /settings.json} are its parts; anything else is 404. Other methods are 405.
 *
 * <p>Immutable and thread-safe; the assets are read once, at construction.
 */
final class ConsolePage {

  /** Where the console is served unless configured otherwise. */
  static final String DEFAULT_PATH = "/blnk-auth/console";

  /** How long the page keeps a key without any activity. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
          + " form-action 'none'; frame-ancestors 'none'; base-uri 'none';"
          + " require-trusted-types-for 'script'; trusted-types 'none'";

  private static final String RESOURCE_DIR = "console/";

  private record Asset(String contentType, byte[] bytes) {}

  private final String path;
  private final String pathWithSlash;
  private final Map<String, Asset> assets;
  private final String keyPrefix;
  private final List<Map<String, Object>> resources;

  /**
   * @param path where to serve the console, checked by {@link #checkPath}
   * @param auth the service whose registry and key format the page describes
   * @throws UncheckedIOException if an asset is missing from the class path (a broken build)
   */
  ConsolePage(String path, BlnkAuth auth) {
    this.path = checkPath(path);
    this.pathWithSlash = this.path + "/";
    Map<String, Asset> a = new LinkedHashMap<>();
    a.put("", new Asset("text/html;charset=utf-8", load("index.html")));
    a.put("console.css", new Asset("text/css;charset=utf-8", load("console.css")));
    a.put("console.js", new Asset("text/javascript;charset=utf-8", load("console.js")));
    a.put("favicon.svg", new Asset("image/svg+xml", load("favicon.svg")));
    this.assets = Map.copyOf(a);
    this.keyPrefix = auth.keyFormat().prefix();
    List<Map<String, Object>> rs = new ArrayList<>();
    for (Resource r : auth.registry().resources()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("master_only", r.masterOnly());
      rs.add(m);
    }
    this.resources = List.copyOf(rs);
  }

  /**
   * The path as given, when it is absolute, has no trailing slash, and its segments are plain
   * ({@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}); it must not be under {@code /api-keys}.
   *
   * @throws IllegalArgumentException naming the path otherwise
   */
  static String checkPath(String path) {
    Objects.requireNonNull(path, "consolePath");
    boolean ok = path.length() > 1 && path.charAt(0) == '/' && !path.endsWith("/");
    int segmentStart = 1;
    for (int i = 1; ok && i <= path.length(); i++) {
      char c = i < path.length() ? path.charAt(i) : '/';
      if (c == '/') {
        String segment = path.substring(segmentStart, i);
        ok = !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        segmentStart = i + 1;
      } else {
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~';
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "consolePath must be an absolute path such as " + DEFAULT_PATH
              + " with plain segments and no trailing '/', was \"" + path + "\"");
    }
    if (RequestPaths.segment(path, 0).equals(ApiKeysEndpoint.SEGMENT)) {
      throw new IllegalArgumentException("consolePath must not be under /api-keys, was \"" + path + "\"");
    }
    return path;
  }

  /** Whether a checked request path is the console's (the path itself or anything under it). */
  boolean handles(String requestPath) {
    return requestPath.startsWith(path)
        && (requestPath.length() == path.length() || requestPath.startsWith(pathWithSlash));
  }

  /**
   * Answers a request for which {@link #handles} is true.
   *
   * @param requestPath the checked path inside the context
   */
  void serve(HttpServletRequest request, HttpServletResponse response, String requestPath)
      throws IOException {
    secureHeaders(response);
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.setHeader("Allow", "GET, HEAD");
      Json.sendError(
          request, response, ErrorCode.GEN_METHOD_NOT_ALLOWED, "The console answers GET and HEAD only");
      return;
    }
    if (requestPath.length() == path.length()) {
      response.setStatus(302);
      response.setHeader("Location", request.getContextPath() + pathWithSlash);
      response.setContentLength(0);
      response.flushBuffer();
      return;
    }
    String name = requestPath.substring(pathWithSlash.length());
    if (name.equals("settings.json")) {
      send(request, response, new Asset("application/json", settings(request)));
      return;
    }
    Asset asset = assets.get(name);
    if (asset == null) {
      byte[] body = "Not found\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      response.setStatus(404);
      response.setContentType("text/plain;charset=utf-8");
      response.setContentLength(body.length);
      if (method.equals("GET")) {
        response.getOutputStream().write(body);
      }
      response.flushBuffer();
      return;
    }
    send(request, response, asset);
  }

  /** What the page needs to know about this server; nothing secret. */
  private byte[] settings(HttpServletRequest request) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api", request.getContextPath() + "/" + ApiKeysEndpoint.SEGMENT);
    m.put("key_prefix", keyPrefix);
    m.put("idle_timeout_seconds", IDLE_TIMEOUT.toSeconds());
    m.put("resources", resources);
    m.put("actions", List.of("read", "write", "delete"));
    return Json.bytes(m);
  }

  private static void send(HttpServletRequest request, HttpServletResponse response, Asset asset)
      throws IOException {
    response.setStatus(200);
    response.setContentType(asset.contentType());
    response.setContentLength(asset.bytes().length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(asset.bytes());
    }
    response.flushBuffer();
  }

  private static void secureHeaders(HttpServletResponse response) {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  }

  private static byte[] load(String name) {
    try (InputStream in = ConsolePage.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new UncheckedIOException(
            new IOException("console asset missing from the class path: " + RESOURCE_DIR + name));
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "ConsolePage[" + path + "]";
  }
}
