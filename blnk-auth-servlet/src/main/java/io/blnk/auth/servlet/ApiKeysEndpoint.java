package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyService;
import io.blnk.auth.KeyServiceException;
import io.blnk.auth.key.ApiKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /api-keys} endpoints, served by the filter once the caller is authorised for the
 * {@code api-keys} resource and the method's action:
 *
 * <ul>
 *   <li>{@code POST /api-keys} {@code {name, owner, scopes, expires_at}}: 201 with the key;
 *   <li>{@code GET /api-keys[?owner=]}: 200 with an array, newest first;
 *   <li>{@code DELETE /api-keys/{id}[?owner=]}: 204, idempotent;
 *   <li>{@code POST /api-keys/{id}/rotate[?owner=]} with an optional body {@code {"grace_period":
 *       "PT1H"}} (an ISO-8601 duration, or a number of whole seconds): 201 with the new key.
 * </ul>
 *
 * A body that is not one JSON object is {@code GEN_MALFORMED_REQUEST}; a known field of the wrong
 * JSON type is {@code APIKEY_INVALID} naming the field; unknown fields are ignored; {@code null} is
 * the same as absent. Thread-safe.
 */
final class ApiKeysEndpoint {

  static final String SEGMENT = "api-keys";

  private final KeyService keys;
  private final BodyPolicy bodies;

  /** @param bodies the body rules (encoding, charset, UTF-8, size) shared with tagged routes */
  ApiKeysEndpoint(KeyService keys, BodyPolicy bodies) {
    this.keys = keys;
    this.bodies = bodies;
  }

  /** Thrown for a request the endpoint cannot serve; becomes the envelope. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Refusal refusal;

    Refused(Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }

    Refused(ErrorCode code, String message) {
      this(Refusal.of(code, message));
    }
  }

  /**
   * Serves one authorised request, refusals included.
   *
   * @param path the checked path inside the API root, starting {@code /api-keys}
   * @throws IOException if the client cannot be written to
   */
  void serve(HttpServletRequest request, HttpServletResponse response, BlnkPrincipal caller, String path)
      throws IOException {
    try {
      handle(request, response, caller, path);
    } catch (Refused e) {
      ErrorWriter.write(request, response, e.refusal);
    }
  }

  /** The methods each endpoint shape answers, for {@code Allow}; null for an unknown shape. */
  static String allowed(String path) {
    int segments = RequestPaths.segmentCount(path);
    if (segments == 1) {
      return "GET, HEAD, POST";
    }
    if (segments == 2) {
      return "DELETE";
    }
    if (segments == 3 && RequestPaths.segment(path, 2).equals("rotate")) {
      return "POST";
    }
    return null;
  }

  void handle(
      HttpServletRequest request, HttpServletResponse response, BlnkPrincipal caller, String path)
      throws IOException, Refused {
    String method = request.getMethod();
    int segments = RequestPaths.segmentCount(path);
    String id = segments >= 2 ? RequestPaths.segment(path, 1) : "";
    try {
      if (segments == 1 && (method.equals("GET") || method.equals("HEAD"))) {
        List<ApiKey> listed = keys.list(caller, owner(request));
        List<Map<String, Object>> out = new ArrayList<>(listed.size());
        for (ApiKey k : listed) {
          out.add(Json.listed(k));
        }
        Json.send(request, response, 200, Json.bytes(out));
      } else if (segments == 1 && method.equals("POST")) {
        CreatedKey created = keys.create(caller, createRequest(readObject(request, true)));
        Json.send(request, response, 201, Json.bytes(Json.created(created)));
      } else if (segments == 2 && method.equals("DELETE")) {
        keys.revoke(caller, id, owner(request));
        response.setStatus(204);
        response.flushBuffer();
      } else if (segments == 3
          && method.equals("POST")
          && RequestPaths.segment(path, 2).equals("rotate")) {
        Optional<Duration> grace = grace(readObject(request, false));
        CreatedKey rotated = keys.rotate(caller, id, owner(request), grace);
        Json.send(request, response, 201, Json.bytes(Json.created(rotated)));
      } else if (allowed(path) != null) {
        throw new Refused(Refusal.methodNotAllowed(method, allowed(path)));
      } else {
        throw new Refused(
            ErrorCode.GEN_MALFORMED_REQUEST,
            "Unsupported API key request: "
                + method
                + " /api-keys/...; use POST or GET /api-keys, DELETE /api-keys/{id}, POST /api-keys/{id}/rotate");
      }
    } catch (KeyServiceException e) {
      throw new Refused(e.code(), e.getMessage());
    }
  }

  /** The {@code owner} query parameter, read from the query string only (never the body). */
  static Optional<String> owner(HttpServletRequest request) throws Refused {
    String query = request.getQueryString();
    if (query == null || query.isEmpty()) {
      return Optional.empty();
    }
    String found = null;
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      String name;
      String value;
      try {
        name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new Refused(ErrorCode.GEN_MALFORMED_REQUEST, "Malformed query string");
      }
      if (name.equals("owner")) {
        if (found != null) {
          throw new Refused(ErrorCode.APIKEY_INVALID, "owner: given more than once");
        }
        found = value;
      }
    }
    return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found);
  }

  /** The body as a JSON object; an empty body is missing (required) or an empty object. */
  private JsonNode readObject(HttpServletRequest request, boolean required) throws Refused {
    BodyPolicy.Outcome read = bodies.readJson(request);
    if (read instanceof BodyPolicy.Refused r) {
      throw new Refused(r.refusal());
    }
    byte[] body = ((BodyPolicy.Replaced) read).body();
    if (isBlank(body)) {
      if (required) {
        throw new Refused(
            ErrorCode.GEN_MALFORMED_REQUEST, "Malformed request body: a JSON object is required");
      }
      return Json.MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new Refused(
          ErrorCode.GEN_MALFORMED_REQUEST,
          "Malformed request body: " + Bodies.firstLine(e.getOriginalMessage(), "invalid JSON"));
    } catch (IOException e) {
      throw new Refused(ErrorCode.GEN_MALFORMED_REQUEST, "Malformed request body");
    }
    if (node == null || !node.isObject()) {
      throw new Refused(
          ErrorCode.GEN_MALFORMED_REQUEST, "Malformed request body: a JSON object is required");
    }
    return node;
  }

  private static CreateKeyRequest createRequest(JsonNode body) throws Refused {
    Optional<String> name = text(body, "name");
    Optional<String> owner = text(body, "owner");
    Optional<String> expiresAt = text(body, "expires_at");
    List<String> scopes = new ArrayList<>();
    JsonNode s = body.get("scopes");
    if (s != null && !s.isNull()) {
      if (!s.isArray()) {
        throw wrongType("scopes", "an array of strings", s);
      }
      for (JsonNode item : s) {
        if (!item.isTextual()) {
          throw wrongType("scopes", "an array of strings", item);
        }
        scopes.add(item.textValue());
      }
    }
    return new CreateKeyRequest(
        name, owner, scopes, expiresAt, Optional.empty(), List.of(), UsageJson.read(body));
  }

  private static Optional<Duration> grace(JsonNode body) throws Refused {
    JsonNode g = body.get("grace_period");
    if (g == null || g.isNull()) {
      return Optional.empty();
    }
    if (g.isIntegralNumber() && g.canConvertToLong()) {
      long seconds = g.longValue();
      if (seconds < 0) {
        throw new Refused(ErrorCode.APIKEY_INVALID, "grace_period: must not be negative, got " + seconds);
      }
      return Optional.of(Duration.ofSeconds(seconds));
    }
    if (g.isTextual()) {
      try {
        return Optional.of(Duration.parse(g.textValue()));
      } catch (DateTimeParseException e) {
        throw new Refused(
            ErrorCode.APIKEY_INVALID,
            "grace_period: " + Text.quote(g.textValue()) + " is not an ISO-8601 duration such as PT1H");
      }
    }
    throw wrongType("grace_period", "an ISO-8601 duration string or whole seconds", g);
  }

  private static Optional<String> text(JsonNode body, String field) throws Refused {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw wrongType(field, "a string", v);
    }
    return Optional.of(v.textValue());
  }

  private static Refused wrongType(String field, String expected, JsonNode got) {
    return new Refused(
        ErrorCode.APIKEY_INVALID,
        field + ": expected " + expected + ", got " + got.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
