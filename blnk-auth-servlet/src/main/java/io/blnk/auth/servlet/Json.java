package io.blnk.auth.servlet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.AuthEvent;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /** A key as listed, with its status at {@code now}: no plaintext, no hash. */
  static Map<String, Object> listed(ApiKey k, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api_key_id", k.id().value());
    putDescription(m, k);
    m.put("revoked_at", time(k.revokedAt()));
    m.put("created_by", k.createdBy().map(id -> id.value()).orElse(null));
    m.put("key_prefix", k.keyPrefix());
    putLifecycle(m, k, now);
    return m;
  }

  /**
   * The lifecycle fields: {@code status}, {@code disabled_at}, {@code rotated_from}, {@code
   * rotated_to}, {@code meta_data} (the object as stored, or null) and {@code allowed_ips} ({@code
   * []} for any address).
   */
  private static void putLifecycle(Map<String, Object> m, ApiKey k, Instant now) {
    m.put("status", k.status(now).token());
    m.put("disabled_at", time(k.disabledAt()));
    m.put("rotated_from", k.rotatedFrom().map(ApiKeyId::value).orElse(null));
    m.put("rotated_to", k.rotatedTo().map(ApiKeyId::value).orElse(null));
    m.put("meta_data", k.metaData().map(RawValue::new).orElse(null));
    m.put("allowed_ips", k.allowedIps().ranges());
  }

  /** A page of a key's events: {@code {"events": [...], "next_cursor": c | null}}. */
  static Map<String, Object> events(KeyEventLog.Page page) {
    List<Map<String, Object>> out = new ArrayList<>(page.events().size());
    for (AuthEvent e : page.events()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", e.type().name());
      m.put("at", time(e.at()));
      m.put("api_key_id", e.apiKeyId().map(ApiKeyId::value).orElse(null));
      m.put("owner_id", e.ownerId().map(o -> o.value()).orElse(null));
      m.put("code", e.code().map(ErrorCode::name).orElse(null));
      m.put("key_prefix", e.keyHint());
      m.put("remote_address", e.remoteAddress());
      m.put("detail", e.detail());
      out.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", out);
    m.put("next_cursor", page.next().orElse(null));
    return m;
  }

  /**
   * The exact text of the object that top-level field {@code field} of a JSON object holds (the
   * caller checked that it is an object).
   *
   * @throws IllegalStateException if it is not there (the caller checked it is)
   */
  static String rawTopLevelObject(byte[] body, String field) {
    try (JsonParser p = MAPPER.getFactory().createParser(body)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals(field) && t == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentTokenLocation().getByteOffset() + 1;
          return new String(body, start, end - start, StandardCharsets.UTF_8);
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(field + " is not an object");
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
  static Map<String, Object> created(CreatedKey c, Instant now) {
    ApiKey k = c.apiKey();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api_key_id", k.id().value());
    m.put("key", c.plaintext().reveal());
    putDescription(m, k);
    m.put("key_prefix", k.keyPrefix());
    m.put("created_by", k.createdBy().map(id -> id.value()).orElse(null));
    putLifecycle(m, k, now);
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
