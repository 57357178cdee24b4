package io.blnk.auth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.blnk.auth.key.ApiKey;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tables for people, JSON for scripts. */
final class Output {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  static void json(PrintWriter out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage());
    }
  }

  /** A left-aligned table with a header row. */
  static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** Label: value lines. */
  static void fields(PrintWriter out, Map<String, ?> fields) {
    int width = 0;
    for (String k : fields.keySet()) {
      width = Math.max(width, k.length());
    }
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      out.println(e.getKey() + ":" + " ".repeat(width - e.getKey().length() + 1) + text(e.getValue()));
    }
  }

  static String text(Object value) {
    if (value == null) {
      return "-";
    }
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object o : list) {
        parts.add(String.valueOf(o));
      }
      return String.join(" ", parts);
    }
    return value.toString();
  }

  /** A key's public fields, as the /api-keys endpoints name them; no hash, no lookup id. */
  static Map<String, Object> key(ApiKey k, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("api_key_id", k.id().value());
    m.put("key_prefix", k.keyPrefix());
    m.put("name", k.name());
    m.put("owner_id", k.ownerId().value());
    List<String> scopes = new ArrayList<>();
    k.scopes().scopes().forEach(s -> scopes.add(s.toString()));
    m.put("scopes", scopes);
    m.put("expires_at", k.expiresAt().map(Instant::toString).orElse(null));
    m.put("created_at", k.createdAt().toString());
    m.put("last_used_at", k.lastUsedAt().map(Instant::toString).orElse(null));
    m.put("is_revoked", k.revoked());
    m.put("revoked_at", k.revokedAt().map(Instant::toString).orElse(null));
    m.put("status", k.revoked() ? "revoked" : k.expiredAt(now) ? "expired" : "active");
    return m;
  }
}
