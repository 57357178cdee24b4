package io.blnk.auth.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Writes and reads instants exactly, in UTC, whatever the JVM's or the session's time zone: as
 * {@link OffsetDateTime} for {@code TIMESTAMPTZ} / {@code TIMESTAMP WITH TIME ZONE} (PostgreSQL,
 * H2), as UTC {@link LocalDateTime} for {@code DATETIME(6)} (MariaDB, which has no zoned type
 * beyond 2038).
 */
final class Timestamps {

  private final boolean zoned;

  Timestamps(Dialect dialect) {
    this.zoned = dialect != Dialect.MARIADB;
  }

  void set(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(index, zoned ? Types.TIMESTAMP_WITH_TIMEZONE : Types.TIMESTAMP);
    } else if (zoned) {
      ps.setObject(index, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    } else {
      ps.setObject(index, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }
  }

  /** The instant in column {@code column}, or null if it is SQL NULL. */
  Instant get(ResultSet rs, String column) throws SQLException {
    if (zoned) {
      OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }
}
