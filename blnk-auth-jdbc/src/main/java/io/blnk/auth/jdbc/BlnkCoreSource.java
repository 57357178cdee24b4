package io.blnk.auth.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Blnk Core's {@code api_keys} table for {@link BlnkCoreImporter}: keyset pages by Blnk's
 * serial {@code id}, {@code TEXT[]} scopes, timestamps to the microsecond. Only reads. Stateless
 * apart from its configuration; not shared between threads.
 */
final class BlnkCoreSource {

  private final TableName source;
  private final int pageSize;

  BlnkCoreSource(TableName source, int pageSize) {
    this.source = source;
    this.pageSize = pageSize;
  }

  /** A row as read from Blnk Core. */
  record Row(
      long id,
      String apiKeyId,
      String hash,
      String keyPrefix,
      String name,
      String ownerId,
      List<String> scopes,
      Instant expiresAt,
      Instant createdAt,
      Instant lastUsedAt,
      boolean revoked,
      Instant revokedAt) {}


  /** The next page after Blnk's serial id {@code after}, in id order. */
  List<Row> readPage(Connection c, boolean hasPrefix, long after) throws SQLException {
    String query =
        "SELECT id, api_key_id, \"key\", "
            + (hasPrefix ? "key_prefix" : "CAST(NULL AS VARCHAR(16)) AS key_prefix")
            + ", name, owner_id, scopes, expires_at, created_at, last_used_at, is_revoked,"
            + " revoked_at FROM "
            + source.qualified()
            + " WHERE id > ? ORDER BY id LIMIT "
            + pageSize;
    List<Row> rows = new ArrayList<>(pageSize);
    try (PreparedStatement ps = c.prepareStatement(query)) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong("id"),
                  rs.getString("api_key_id"),
                  rs.getString("key"),
                  rs.getString("key_prefix"),
                  rs.getString("name"),
                  rs.getString("owner_id"),
                  scopes(rs.getArray("scopes")),
                  instant(rs, "expires_at"),
                  instant(rs, "created_at"),
                  instant(rs, "last_used_at"),
                  rs.getBoolean("is_revoked"),
                  instant(rs, "revoked_at")));
        }
      }
    }
    return rows;
  }

  private static List<String> scopes(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<String> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(v == null ? null : v.toString());
    }
    return out;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : micros(t.toInstant());
  }

  static Instant micros(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** How many rows the table has. */
  long count(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + source.qualified())) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Whether the table has {@code column} (Blnk added key_prefix in a later migration). */
  boolean hasColumn(Connection c, String column) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    String schema = source.schema().isEmpty() ? null : source.schema();
    try (ResultSet rs = meta.getColumns(null, schema, source.name(), column)) {
      if (rs.next()) {
        return true;
      }
    }
    // Databases that fold unquoted names to upper case (H2).
    try (ResultSet rs =
        meta.getColumns(
            null,
            schema == null ? null : schema.toUpperCase(java.util.Locale.ROOT),
            source.name().toUpperCase(java.util.Locale.ROOT),
            column.toUpperCase(java.util.Locale.ROOT))) {
      return rs.next();
    }
  }

}
