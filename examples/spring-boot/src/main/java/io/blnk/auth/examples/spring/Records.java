package io.blnk.auth.examples.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The ledger's records: one table of JSON documents by collection, in the same database as the
 * keys (as the Jetty example's {@code Records}). Numbers keep every digit.
 */
@Repository
class Records {

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final JdbcTemplate jdbc;

  Records(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    jdbc.execute(
        "CREATE TABLE IF NOT EXISTS blnk_records ("
            + " id VARCHAR(64) PRIMARY KEY,"
            + " collection VARCHAR(64) NOT NULL,"
            + " body TEXT NOT NULL,"
            + " created_seq BIGINT NOT NULL)");
  }

  void insert(String collection, String id, ObjectNode body) {
    jdbc.update(
        "INSERT INTO blnk_records (id, collection, body, created_seq) VALUES (?, ?, ?, ?)",
        id, collection, write(body), System.nanoTime());
  }

  void update(String id, ObjectNode body) {
    jdbc.update("UPDATE blnk_records SET body = ? WHERE id = ?", write(body), id);
  }

  Optional<ObjectNode> find(String id) {
    List<String> rows = jdbc.queryForList("SELECT body FROM blnk_records WHERE id = ?", String.class, id);
    return rows.isEmpty() ? Optional.empty() : Optional.of(read(rows.get(0)));
  }

  List<ObjectNode> list(String collection, int limit) {
    List<ObjectNode> out =
        jdbc.query(
            "SELECT body FROM blnk_records WHERE collection = ? ORDER BY created_seq DESC",
            (rs, row) -> read(rs.getString(1)),
            collection);
    return out.size() <= limit ? out : out.subList(0, limit);
  }

  static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode read(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored record is not JSON", e);
    }
  }
}
