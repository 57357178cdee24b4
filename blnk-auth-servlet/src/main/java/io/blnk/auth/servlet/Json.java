package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.key.ApiKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The JSON this module reads and writes: error envelopes and key representations. Stateless. */
final class Json {

  /** Strict: duplicate names and trailing content are malformed. Thread-safe once built. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Blnk's "never used" time. */
  static final String NEVER = "0001-01-01T00:00:00Z";

  private Json() {}

  /**
   * RFC 3339 in UTC, fractional seconds only when not zero: {@code 2026-03-11T00:00:00Z}, {@code
   * 2025-11-18T13:39:50.390457Z}.
   */
  static String time(Instant at) {
    return at.toString();
  }

  private static String time(Optional<Instant> at) {
    return at.map(Json::time).orElse(null);
  }

  /** A key as listed: no plaintext, no hash. */
  static Map<String, Object> listed(ApiKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api_key_id", k.id().value());
    putDescription(m, k);
    m.put("revoked_at", time(k.revokedAt()));
    m.put("created_by", k.createdBy().map(id -> id.value()).orElse(null));
    m.put("key_prefix", k.keyPrefix());
    return m;
  }

  /** The fields every answer about a key has, in the order both answers give them. */
  private static void putDescription(Map<String, Object> m, ApiKey k) {
    m.put("name", k.name());
    m.put("owner_id", k.ownerId().value());
    m.put("scopes", k.scopes().toStrings());
    m.put("expires_at", time(k.expiresAt()));
    m.put("created_at", time(k.createdAt()));
    m.put("last_used_at", k.lastUsedAt().map(Json::time).orElse(NEVER));
    m.put("is_revoked", k.revoked());
    UsageJson.put(m, k.usage());
  }

  /** A key just created or rotated, with its plaintext: returned once. */
  static Map<String, Object> created(CreatedKey c) {
    ApiKey k = c.apiKey();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api_key_id", k.id().value());
    m.put("key", c.plaintext().reveal());
    putDescription(m, k);
    m.put("key_prefix", k.keyPrefix());
    m.put("created_by", k.createdBy().map(id -> id.value()).orElse(null));
    return m;
  }

  /** {@code {"error": m, "error_detail": {"code": c, "message": m}}}. */
  static byte[] error(ErrorCode code, String message) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("code", code.name());
    detail.put("message", message);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("error_detail", detail);
    return bytes(m);
  }

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes an error envelope with the code's status. */
  static void sendError(
      HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
      throws IOException {
    send(request, response, code.httpStatus(), error(code, message));
  }

  /** Writes a JSON body with a status; a HEAD request gets the headers only. */
  static void send(HttpServletRequest request, HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(body);
    }
    response.flushBuffer();
  }
}
