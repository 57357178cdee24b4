package io.blnk.auth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * A Blnk Core {@code api_keys} table built with Blnk's own migrations (test resources {@code
 * blnkcore/}) and filled the way Blnk fills it: keys from 32 random bytes in URL-safe base64,
 * bcrypt cost 10 of the whole key, the first 16 characters as {@code key_prefix}, ids {@code
 * api_key_} + UUID.
 */
final class BlnkCoreTable {

  static final SecureRandom RANDOM = new SecureRandom();

  /** One row to insert, and what the test knows about it (the plaintext, when real). */
  record Row(
      String apiKeyId,
      String plaintext,
      String hash,
      String keyPrefix,
      String name,
      String owner,
      List<String> scopes,
      Instant expiresAt,
      Instant createdAt,
      boolean revoked,
      Instant revokedAt) {}

  private BlnkCoreTable() {}

  /** A key as Blnk Core's GenerateKey makes it. */
  static String newKey() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().encodeToString(b);
  }

  static String apiKeyId() {
    return "api_key_" + UUID.randomUUID();
  }

  /** bcrypt cost 10, "$2a$" as Go's bcrypt writes it. */
  static String bcrypt(String plaintext) {
    return BCrypt.hashpw(plaintext, BCrypt.gensalt("$2a", 10));
  }

  /**
   * A string shaped like a bcrypt hash and unique by {@code n}, matching no key: for rows whose
   * keys no test presents (Blnk's {@code key} column is UNIQUE, and 10,000 real cost-10 hashes
   * would take half an hour on this machine).
   */
  static String fillerHash(String real, int n) {
    String alphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder salt = new StringBuilder();
    int v = n;
    for (int i = 0; i < 6; i++) {
      salt.append(alphabet.charAt(v & 63));
      v >>>= 6;
    }
    return real.substring(0, 7) + salt + real.substring(13);
  }

  /** Runs the {@code -- +migrate Up} part of one of Blnk's migration files. */
  static void migrate(String url, String file) throws IOException, SQLException {
    String text;
    try (InputStream in = BlnkCoreTable.class.getResourceAsStream("/blnkcore/" + file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String up = text.substring(0, text.indexOf("-- +migrate Down"));
    StringBuilder kept = new StringBuilder();
    for (String line : up.split("\n")) {
      if (!line.strip().startsWith("--")) {
        kept.append(line).append('\n');
      }
    }
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String statement : kept.toString().split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  /** Inserts rows as Blnk does (before its key_prefix migration when {@code withPrefix} is false). */
  static void insert(String url, List<Row> rows, boolean withPrefix) throws SQLException {
    String sql =
        withPrefix
            ? "INSERT INTO blnk.api_keys (api_key_id, key, name, owner_id, scopes, expires_at,"
                + " created_at, is_revoked, revoked_at, key_prefix) VALUES (?,?,?,?,?,?,?,?,?,?)"
            : "INSERT INTO blnk.api_keys (api_key_id, key, name, owner_id, scopes, expires_at,"
                + " created_at, is_revoked, revoked_at) VALUES (?,?,?,?,?,?,?,?,?)";
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int n = 0;
        for (Row r : rows) {
          ps.setString(1, r.apiKeyId());
          ps.setString(2, r.hash());
          ps.setString(3, r.name());
          ps.setString(4, r.owner());
          ps.setArray(5, c.createArrayOf("text", r.scopes().toArray()));
          ps.setObject(6, OffsetDateTime.ofInstant(r.expiresAt(), ZoneOffset.UTC));
          ps.setObject(7, OffsetDateTime.ofInstant(r.createdAt(), ZoneOffset.UTC));
          ps.setBoolean(8, r.revoked());
          if (r.revokedAt() == null) {
            ps.setNull(9, Types.TIMESTAMP_WITH_TIMEZONE);
          } else {
            ps.setObject(9, OffsetDateTime.ofInstant(r.revokedAt(), ZoneOffset.UTC));
          }
          if (withPrefix) {
            ps.setString(10, r.keyPrefix());
          }
          ps.addBatch();
          if (++n % 1000 == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  static List<String> list(String... items) {
    return new ArrayList<>(List.of(items));
  }
}
