package io.blnk.auth.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The example ledger's records: one table of JSON documents by collection, in the same database
 * as the keys. Deliberately simple; Blnk itself is far richer.
 */
final class Records {

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final DataSource dataSource;

  Records(DataSource dataSource) throws SQLException {
    this.dataSource = dataSource;
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS blnk_records ("
              + " id VARCHAR(64) PRIMARY KEY,"
              + " collection VARCHAR(64) NOT NULL,"
              + " body TEXT NOT NULL,"
              + " created_seq BIGINT NOT NULL)");
    }
  }

  void insert(String collection, String id, ObjectNode body) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO blnk_records (id, collection, body, created_seq) VALUES (?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, collection);
      s.setString(3, write(body));
      s.setLong(4, System.nanoTime());
      s.executeUpdate();
    }
  }

  void update(String id, ObjectNode body) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("UPDATE blnk_records SET body = ? WHERE id = ?")) {
      s.setString(1, write(body));
      s.setString(2, id);
      s.executeUpdate();
    }
  }

  Optional<ObjectNode> find(String id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT body FROM blnk_records WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(read(rs.getString(1))) : Optional.empty();
      }
    }
  }

  Optional<String> collectionOf(String id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT collection FROM blnk_records WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  List<ObjectNode> list(String collection, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT body FROM blnk_records WHERE collection = ? ORDER BY created_seq DESC")) {
      s.setString(1, collection);
      s.setMaxRows(limit);
      List<ObjectNode> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs.getString(1)));
        }
      }
      return out;
    }
  }

  private static String write(ObjectNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode read(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored record is not JSON", e);
    }
  }
}
