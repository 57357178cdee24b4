package io.blnk.auth.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A Blnk-style ledger API, small enough to read in one sitting. Every request that reaches it has
 * already passed the {@code BlnkAuthFilter}: this servlet knows nothing about keys, except that a
 * scoped key's POSTs arrive with {@code meta_data.BLNK_GENERATED_BY} already set.
 */
final class LedgerServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** Collections that take POST and list on GET, with the id field and prefix of their records. */
  private static final Map<String, String[]> COLLECTIONS =
      Map.of(
          "ledgers", new String[] {"ledger_id", "ldg_"},
          "balances", new String[] {"balance_id", "bln_"},
          "transactions", new String[] {"transaction_id", "txn_"},
          "accounts", new String[] {"account_id", "acc_"},
          "identities", new String[] {"identity_id", "idt_"},
          "balance-monitors", new String[] {"monitor_id", "mon_"},
          "hooks", new String[] {"hook_id", "hook_"});

  private static final List<String> GET_BY_ID = List.of("ledgers", "balances", "transactions");

  private final transient Records records;

  LedgerServlet(Records records) {
    this.records = records;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = Optional.ofNullable(req.getServletPath()).orElse("")
        + Optional.ofNullable(req.getPathInfo()).orElse("");
    String[] seg = segments(path);
    String method = req.getMethod();
    try {
      route(req, resp, method, seg);
    } catch (BadRequest e) {
      ContainerErrors.send(resp, 400, "GEN_MALFORMED_REQUEST", e.getMessage());
    } catch (SQLException e) {
      log("database error", e);
      ContainerErrors.send(resp, 500, "GEN_INTERNAL", "Internal server error");
    }
  }

  private void route(HttpServletRequest req, HttpServletResponse resp, String method, String[] seg)
      throws IOException, SQLException {
    if (seg.length == 0) {
      ok(resp, 200, object().put("name", "blnk-auth example ledger").put("status", "ok"));
      return;
    }
    String first = seg[0];
    if (seg.length == 1 && first.equals("health") && isGet(method)) {
      ok(resp, 200, object().put("status", "UP"));
      return;
    }
    if (seg.length == 1 && first.equals("backup") && isGet(method)) {
      ok(resp, 200, object().put("message", "backup is not part of the example; nothing was written"));
      return;
    }
    if (seg.length == 1 && first.equals("mocked-account") && isGet(method)) {
      ok(resp, 200, object().put("account_id", "acc_mocked").put("bank_name", "Example Bank")
          .put("account_number", "0123456789").put("currency", "USD"));
      return;
    }
    if (seg.length == 2 && first.equals("refund-transaction") && method.equals("POST")) {
      refund(resp, seg[1]);
      return;
    }
    if (seg.length == 2 && first.equals("search") && method.equals("POST")) {
      ok(resp, 200, search(seg[1], body(req)));
      return;
    }
    if (seg.length == 1 && first.equals("multi-search") && method.equals("POST")) {
      multiSearch(resp, body(req));
      return;
    }
    String[] collection = COLLECTIONS.get(first);
    if (collection != null && seg.length == 1 && isGet(method)) {
      ArrayNode list = Records.JSON.createArrayNode();
      records.list(first, 100).forEach(list::add);
      ok(resp, 200, list);
      return;
    }
    if (collection != null && seg.length == 1 && method.equals("POST")) {
      create(resp, first, collection, body(req));
      return;
    }
    if (collection != null && seg.length == 2 && GET_BY_ID.contains(first) && isGet(method)) {
      Optional<ObjectNode> found = records.find(seg[1]).filter(r -> r.has(collection[0]));
      if (found.isPresent()) {
        ok(resp, 200, found.get());
      } else {
        error(resp, 404, first.substring(0, first.length() - 1) + " not found");
      }
      return;
    }
    if (seg.length == 2 && seg[1].equals("metadata") && method.equals("POST")) {
      metadata(resp, seg[0], body(req));
      return;
    }
    error(resp, 404, ContainerErrors.message(404));
  }

  private void create(HttpServletResponse resp, String name, String[] collection, ObjectNode body)
      throws IOException, SQLException {
    String id = collection[1] + UUID.randomUUID();
    ObjectNode record = object().put(collection[0], id);
    record.setAll(body);
    record.put(collection[0], id);
    record.put("created_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    if (!record.path("meta_data").isObject()) {
      record.set("meta_data", object());
    }
    records.insert(name, id, record);
    ok(resp, 201, record);
  }

  private void refund(HttpServletResponse resp, String transactionId) throws IOException, SQLException {
    Optional<ObjectNode> original = records.find(transactionId).filter(r -> r.has("transaction_id"));
    if (original.isEmpty()) {
      error(resp, 404, "transaction not found");
      return;
    }
    ObjectNode refund = original.get().deepCopy();
    JsonNode source = refund.remove("source");
    JsonNode destination = refund.remove("destination");
    if (destination != null) {
      refund.set("source", destination);
    }
    if (source != null) {
      refund.set("destination", source);
    }
    refund.put("parent_transaction", transactionId);
    refund.put("status", "REFUNDED");
    create(resp, "transactions", COLLECTIONS.get("transactions"), refund);
  }

  private void metadata(HttpServletResponse resp, String id, ObjectNode body)
      throws IOException, SQLException {
    Optional<ObjectNode> found = records.find(id);
    if (found.isEmpty()) {
      error(resp, 404, "record not found");
      return;
    }
    ObjectNode record = found.get();
    ObjectNode meta =
        record.path("meta_data").isObject() ? (ObjectNode) record.get("meta_data") : object();
    if (body.path("meta_data").isObject()) {
      meta.setAll((ObjectNode) body.get("meta_data"));
    }
    record.set("meta_data", meta);
    records.update(id, record);
    ok(resp, 201, object().set("meta_data", meta));
  }

  private ObjectNode search(String collection, ObjectNode body) throws SQLException {
    String q = body.path("q").asText("").toLowerCase(Locale.ROOT);
    ArrayNode hits = Records.JSON.createArrayNode();
    for (ObjectNode record : records.list(collection, 1000)) {
      if (q.isEmpty() || q.equals("*") || record.toString().toLowerCase(Locale.ROOT).contains(q)) {
        hits.add(object().set("document", record));
      }
    }
    ObjectNode result = object().put("found", hits.size());
    result.set("hits", hits);
    return result;
  }

  private void multiSearch(HttpServletResponse resp, ObjectNode body) throws IOException, SQLException {
    ArrayNode results = Records.JSON.createArrayNode();
    for (JsonNode s : body.path("searches")) {
      String collection = s.path("collection").asText("");
      ObjectNode one = search(collection, s.isObject() ? (ObjectNode) s : object());
      results.add(one);
    }
    ok(resp, 200, object().set("results", results));
  }

  private static ObjectNode body(HttpServletRequest req) throws IOException {
    try {
      JsonNode node = Records.JSON.readTree(req.getInputStream());
      if (node == null || !node.isObject()) {
        throw new BadRequest("request body must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new BadRequest("request body is not valid JSON");
    }
  }

  private static boolean isGet(String method) {
    return method.equals("GET") || method.equals("HEAD");
  }

  private static String[] segments(String path) {
    return path.chars().allMatch(c -> c == '/')
        ? new String[0]
        : (path.startsWith("/") ? path.substring(1) : path).split("/");
  }

  private static ObjectNode object() {
    return Records.JSON.createObjectNode();
  }

  private static void ok(HttpServletResponse resp, int status, JsonNode body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    Records.JSON.writeValue(resp.getOutputStream(), body);
  }

  /** A 404 in Blnk's envelope; {@code message} never echoes the request. */
  private static void error(HttpServletResponse resp, int status, String message) throws IOException {
    ContainerErrors.send(resp, status, ContainerErrors.code(status), message);
  }

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
