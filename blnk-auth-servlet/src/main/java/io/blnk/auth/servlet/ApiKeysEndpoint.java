package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyService;
import io.blnk.auth.KeyOutcome;
import io.blnk.auth.KeyQuery;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.KeyUpdate;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.KeyStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
 *   <li>{@code POST /api-keys} {@code {name, owner, scopes, expires_at, meta_data, allowed_ips}}:
 *       201 with the key;
 *   <li>{@code GET /api-keys[?owner=][&status=]}: 200 with an array, newest first;
 *   <li>{@code GET /api-keys/self}: the calling key's record, without any scope ({@code {"type":
 *       "master"}} for the master key);
 *   <li>{@code GET /api-keys/{id}[?owner=]}: 200 with the key;
 *   <li>{@code PATCH /api-keys/{id}[?owner=]} with any of {@code name, expires_at, scopes,
 *       meta_data, allowed_ips}: 200 with the key as it now is;
 *   <li>{@code DELETE /api-keys/{id}[?owner=][&cascade=true]}: 204, idempotent;
 *   <li>{@code POST /api-keys/{id}/disable} and {@code /enable}: 200 with the key;
 *   <li>{@code POST /api-keys/{id}/rotate[?owner=]} with an optional body {@code {"grace_period":
 *       "PT1H"}} (an ISO-8601 duration, or a number of whole seconds): 201 with the new key;
 *   <li>{@code GET /api-keys/{id}/events[?cursor=][&limit=]}: the key's audit events, newest first,
 *       when a {@link KeyEventLog} is configured.
 * </ul>
 *
 * A body that is not one JSON object is {@code GEN_MALFORMED_REQUEST}; a known field of the wrong
 * JSON type is {@code APIKEY_INVALID} naming the field; unknown fields are ignored; {@code null} is
 * the same as absent. Thread-safe.
 */
final class ApiKeysEndpoint {

  static final String SEGMENT = "api-keys";

  /** {@code /api-keys/self}: the caller's own key. */
  static final String SELF_PATH = "/api-keys/self";

  /** {@code GET} (owner rules) or {@code PUT} (master key) the rate limit on all of an owner's keys. */
  static final String OWNER_LIMIT_PATH = "/api-keys/owner-rate-limit";

  /** The default and largest page of {@code /events}. */
  static final int DEFAULT_EVENTS_LIMIT = 50;

  private final KeyService keys;
  private final BodyPolicy bodies;
  private final InstantSource clock;
  private final KeyEventLog events; // null: no audit log

  /** @param bodies the body rules (encoding, charset, UTF-8, size) shared with tagged routes */
  ApiKeysEndpoint(KeyService keys, BodyPolicy bodies) {
    this(keys, bodies, InstantSource.system(), null);
  }

  /**
   * @param clock the time key statuses are judged at (the {@link io.blnk.auth.BlnkAuth}'s)
   * @param events the audit log {@code /api-keys/{id}/events} reads, or null for none
   */
  ApiKeysEndpoint(KeyService keys, BodyPolicy bodies, InstantSource clock, KeyEventLog events) {
    this.keys = keys;
    this.bodies = bodies;
    this.clock = clock;
    this.events = events;
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
  String allowed(String path) {
    int segments = RequestPaths.segmentCount(path);
    if (segments == 1) {
      return "GET, HEAD, POST";
    }
    if (segments == 2) {
      if (path.equals(OWNER_LIMIT_PATH)) {
        return "GET, HEAD, PUT";
      }
      return path.equals(SELF_PATH) ? "GET, HEAD" : "GET, HEAD, PATCH, DELETE";
    }
    if (segments == 3) {
      switch (RequestPaths.segment(path, 2)) {
        case "rotate", "disable", "enable":
          return "POST";
        case "events":
          return events != null ? "GET, HEAD" : null;
        default:
          return null;
      }
    }
    return null;
  }

  void handle(
      HttpServletRequest request, HttpServletResponse response, BlnkPrincipal caller, String path)
      throws IOException, Refused {
    String method = request.getMethod();
    boolean read = method.equals("GET") || method.equals("HEAD");
    int segments = RequestPaths.segmentCount(path);
    String id = segments >= 2 ? RequestPaths.segment(path, 1) : "";
    String action = segments == 3 ? RequestPaths.segment(path, 2) : "";
    Instant now = clock.instant();
    if (segments == 1 && read) {
      KeyQuery query = query(request);
      Optional<KeyStatus> status = status(request);
      List<ApiKey> listed = done(keys.list(caller, status.isPresent() ? query.withStatus(status.get()) : query));
      List<Map<String, Object>> out = new ArrayList<>(listed.size());
      for (ApiKey k : listed) {
        out.add(Json.listed(k, now));
      }
      Json.send(request, response, 200, Json.bytes(out));
    } else if (segments == 1 && method.equals("POST")) {
      CreatedKey created = done(keys.create(caller, createRequest(readObject(request, true))));
      Json.send(request, response, 201, Json.bytes(Json.created(created, now)));
    } else if (path.equals(OWNER_LIMIT_PATH) && (read || method.equals("PUT"))) {
      Optional<String> owner = owner(request);
      KeyQuery query = query(request);
      Optional<io.blnk.auth.usage.RateLimit> limit;
      if (read) {
        limit = done(keys.ownerLimit(caller, query));
      } else {
        Optional<io.blnk.auth.usage.RateLimit> given =
            UsageJson.ownerLimit(readObject(request, true).json());
        limit =
            done(
                given.isPresent()
                    ? keys.setOwnerLimit(caller, query, given.get())
                    : keys.clearOwnerLimit(caller, query));
      }
      Json.send(request, response, 200, Json.bytes(UsageJson.ownerLimitAnswer(owner, caller, limit)));
    } else if (path.equals(SELF_PATH) && read) {
      Optional<ApiKey> self = done(keys.self(caller));
      Json.send(
          request,
          response,
          200,
          Json.bytes(self.isPresent() ? Json.listed(self.get(), now) : Map.of("type", "master")));
    } else if (segments == 2 && !path.equals(SELF_PATH) && !path.equals(OWNER_LIMIT_PATH) && read) {
      Json.send(request, response, 200, Json.bytes(Json.listed(done(keys.get(caller, id, query(request))), now)));
    } else if (segments == 2 && !path.equals(SELF_PATH) && !path.equals(OWNER_LIMIT_PATH) && method.equals("PATCH")) {
      ApiKey updated = done(keys.update(caller, id, query(request), update(readObject(request, true))));
      Json.send(request, response, 200, Json.bytes(Json.listed(updated, now)));
    } else if (segments == 2 && !path.equals(SELF_PATH) && !path.equals(OWNER_LIMIT_PATH) && method.equals("DELETE")) {
      done(keys.revoke(caller, id, query(request), cascade(request)));
      response.setStatus(204);
      response.flushBuffer();
    } else if (segments == 3 && method.equals("POST") && action.equals("rotate")) {
      Optional<Duration> grace = grace(readObject(request, false).json());
      KeyQuery query = query(request);
      CreatedKey rotated =
          done(grace.isPresent() ? keys.rotate(caller, id, query, grace.get()) : keys.rotate(caller, id, query));
      Json.send(request, response, 201, Json.bytes(Json.created(rotated, now)));
    } else if (segments == 3 && method.equals("POST") && (action.equals("disable") || action.equals("enable"))) {
      KeyQuery query = query(request);
      ApiKey k = done(action.equals("disable") ? keys.disable(caller, id, query) : keys.enable(caller, id, query));
      Json.send(request, response, 200, Json.bytes(Json.listed(k, now)));
    } else if (segments == 3 && read && action.equals("events") && events != null) {
      ApiKey k = done(keys.get(caller, id, query(request))); // owner rules first: another owner's key is 404
      KeyEventLog.Page page;
      try {
        page = events.eventsOf(k.id(), query(request, "cursor"), limit(request));
      } catch (IllegalArgumentException e) {
        throw new Refused(ErrorCode.APIKEY_INVALID, e.getMessage());
      }
      Json.send(request, response, 200, Json.bytes(Json.events(page)));
    } else if (allowed(path) != null) {
      throw new Refused(Refusal.methodNotAllowed(method, allowed(path)));
    } else {
      throw new Refused(
          ErrorCode.GEN_MALFORMED_REQUEST,
          "Unsupported API key request: "
              + method
              + " /api-keys/...; use POST or GET /api-keys, GET /api-keys/self, GET, PATCH or DELETE"
              + " /api-keys/{id}, POST /api-keys/{id}/rotate, /disable or /enable"
              + (events != null ? ", GET /api-keys/{id}/events" : ""));
    }
  }

  /** A done call's value; a refused one becomes the envelope, with its code, message and wait. */
  private static <T> T done(KeyOutcome<T> outcome) throws Refused {
    if (outcome instanceof KeyOutcome.Refused<T> r) {
      throw new Refused(new Refusal(r.code(), r.message(), r.retryAfter().orElse(Duration.ZERO), ""));
    }
    return outcome.orElseThrow();
  }

  /** The owner the call names: the {@code owner} query parameter, if given. */
  static KeyQuery query(HttpServletRequest request) throws Refused {
    Optional<String> owner = owner(request);
    return owner.isPresent() ? KeyQuery.owner(owner.get()) : KeyQuery.anyOwner();
  }

  /** The {@code owner} query parameter, read from the query string only (never the body). */
  static Optional<String> owner(HttpServletRequest request) throws Refused {
    return query(request, "owner");
  }

  /** The {@code status} filter of a listing. */
  static Optional<KeyStatus> status(HttpServletRequest request) throws Refused {
    Optional<String> s = query(request, "status");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Optional<KeyStatus> status = KeyStatus.fromToken(s.get());
    if (status.isEmpty()) {
      throw new Refused(
          ErrorCode.APIKEY_INVALID,
          "status: " + Text.quote(s.get()) + " is not one of active, disabled, expired, revoked, rotating");
    }
    return status;
  }

  /** {@code cascade=true} or {@code false} (default). */
  static boolean cascade(HttpServletRequest request) throws Refused {
    Optional<String> c = query(request, "cascade");
    if (c.isEmpty() || c.get().equals("false")) {
      return false;
    }
    if (c.get().equals("true")) {
      return true;
    }
    throw new Refused(ErrorCode.APIKEY_INVALID, "cascade: must be true or false, got " + Text.quote(c.get()));
  }

  /** {@code limit}, 1 to {@link KeyEventLog#MAX_LIMIT}, default {@link #DEFAULT_EVENTS_LIMIT}. */
  static int limit(HttpServletRequest request) throws Refused {
    Optional<String> l = query(request, "limit");
    if (l.isEmpty()) {
      return DEFAULT_EVENTS_LIMIT;
    }
    String v = l.get();
    if (v.isEmpty() || v.length() > 4 || !v.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(v) < 1 || Integer.parseInt(v) > KeyEventLog.MAX_LIMIT) {
      throw new Refused(
          ErrorCode.APIKEY_INVALID,
          "limit: must be a whole number from 1 to " + KeyEventLog.MAX_LIMIT + ", got " + Text.quote(v));
    }
    return Integer.parseInt(v);
  }

  /** A query parameter given at most once, read from the query string only; empty is absent. */
  static Optional<String> query(HttpServletRequest request, String parameter) throws Refused {
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
      if (name.equals(parameter)) {
        if (found != null) {
          throw new Refused(ErrorCode.APIKEY_INVALID, parameter + ": given more than once");
        }
        found = value;
      }
    }
    return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found);
  }

  /** The body as a JSON object; an empty body is missing (required) or an empty object. */
  private Body readObject(HttpServletRequest request, boolean required) throws Refused {
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
      return new Body(Json.MAPPER.createObjectNode(), new byte[] {'{', '}'});
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
    return new Body(node, body);
  }

  /**
   * A request body.
   *
   * @param json the parsed object
   * @param raw its UTF-8 bytes, as sent (without a byte order mark)
   */
  record Body(JsonNode json, byte[] raw) {}

  private static CreateKeyRequest createRequest(Body b) throws Refused {
    JsonNode body = b.json();
    CreateKeyRequest.Builder r = CreateKeyRequest.builder();
    text(body, "name").ifPresent(r::name);
    text(body, "owner").ifPresent(r::owner);
    text(body, "expires_at").ifPresent(r::expiresAt);
    r.scopes(strings(body, "scopes").orElse(List.of()));
    metaData(b).ifPresent(r::metaData);
    strings(body, "allowed_ips").ifPresent(r::allowedIps);
    r.usage(UsageJson.read(body));
    return r.build();
  }

  private static KeyUpdate update(Body b) throws Refused {
    JsonNode body = b.json();
    KeyUpdate.Builder u = KeyUpdate.builder();
    text(body, "name").ifPresent(u::name);
    text(body, "expires_at").ifPresent(u::expiresAt);
    Optional<List<String>> scopes = strings(body, "scopes");
    if (scopes.isPresent()) {
      u.scopes(scopes.get());
    }
    metaData(b).ifPresent(u::metaData);
    Optional<List<String>> ips = strings(body, "allowed_ips");
    if (ips.isPresent()) {
      u.allowedIps(ips.get());
    }
    UsageJson.update(body, u);
    return u.build();
  }

  /** An array of strings, or empty when absent or null. */
  private static Optional<List<String>> strings(JsonNode body, String field) throws Refused {
    JsonNode s = body.get(field);
    if (s == null || s.isNull()) {
      return Optional.empty();
    }
    if (!s.isArray()) {
      throw wrongType(field, "an array of strings", s);
    }
    List<String> out = new ArrayList<>(s.size());
    for (JsonNode item : s) {
      if (!item.isTextual()) {
        throw wrongType(field, "an array of strings", item);
      }
      out.add(item.textValue());
    }
    return Optional.of(out);
  }

  /** {@code meta_data}: a JSON object, as the caller wrote it (its exact text). */
  private static Optional<String> metaData(Body b) throws Refused {
    JsonNode m = b.json().get("meta_data");
    if (m == null || m.isNull()) {
      return Optional.empty();
    }
    if (!m.isObject()) {
      throw wrongType("meta_data", "an object", m);
    }
    String raw = Json.rawTopLevelObject(b.raw(), "meta_data");
    if (raw.getBytes(StandardCharsets.UTF_8).length > ApiKey.MAX_META_DATA_BYTES) {
      throw new Refused(
          ErrorCode.APIKEY_INVALID,
          "meta_data: at most " + ApiKey.MAX_META_DATA_BYTES + " bytes of JSON are allowed");
    }
    return Optional.of(raw);
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
