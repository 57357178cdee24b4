package io.blnk.auth.examples.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Blnk-style ledger routes of the Jetty example, as Spring MVC handlers. Every request that
 * reaches them has passed blnk-auth: this controller knows nothing about keys, except that a
 * scoped key's POSTs arrive with {@code meta_data.BLNK_GENERATED_BY} already set.
 */
@RestController
class LedgerController {

  /** Collections that take POST and list on GET, with the id field and prefix of their records. */
  private static final Map<String, String[]> COLLECTIONS =
      Map.of(
          "ledgers", new String[] {"ledger_id", "ldg_"},
          "balances", new String[] {"balance_id", "bln_"},
          "transactions", new String[] {"transaction_id", "txn_"},
          "accounts", new String[] {"account_id", "acc_"},
          "identities", new String[] {"identity_id", "idt_"},
          "balance-monitors", new String[] {"monitor_id", "mon_"},
          "hooks", new String[] {"hook_id", "hk_"});

  private static final List<String> GET_BY_ID = List.of("ledgers", "balances", "transactions");

  private final Records records;

  LedgerController(Records records) {
    this.records = records;
  }

  @GetMapping("/")
  ResponseEntity<byte[]> root() {
    return ok(200, object().put("name", "blnk-auth example ledger (Spring Boot)").put("status", "ok"));
  }

  @GetMapping("/health")
  ResponseEntity<byte[]> health() {
    return ok(200, object().put("status", "UP"));
  }

  @GetMapping("/backup")
  ResponseEntity<byte[]> backup() {
    return ok(200, object().put("message", "backup is not part of the example; nothing was written"));
  }

  @GetMapping("/mocked-account")
  ResponseEntity<byte[]> mockedAccount() {
    return ok(200, object().put("account_id", "acc_mocked").put("bank_name", "Example Bank")
        .put("account_number", "0123456789").put("currency", "USD"));
  }

  @GetMapping("/{collection}")
  ResponseEntity<byte[]> list(@PathVariable String collection) {
    if (!COLLECTIONS.containsKey(collection)) {
      return notFound("GET", collection);
    }
    ArrayNode list = Records.JSON.createArrayNode();
    records.list(collection, 100).forEach(list::add);
    return ok(200, list);
  }

  @PostMapping("/{collection}")
  ResponseEntity<byte[]> create(@PathVariable String collection, @RequestBody(required = false) String body) {
    String[] c = COLLECTIONS.get(collection);
    if (c == null) {
      return collection.equals("multi-search") ? multiSearch(parse(body)) : notFound("POST", collection);
    }
    return ok(201, insert(collection, c, parse(body)));
  }

  @GetMapping("/{collection}/{id}")
  ResponseEntity<byte[]> get(@PathVariable String collection, @PathVariable String id) {
    String[] c = COLLECTIONS.get(collection);
    if (c == null || !GET_BY_ID.contains(collection)) {
      return notFound("GET", collection + "/" + id);
    }
    Optional<ObjectNode> found = records.find(id).filter(r -> r.has(c[0]));
    return found.isPresent()
        ? ok(200, found.get())
        : error(404, collection.substring(0, collection.length() - 1) + " not found");
  }

  @PostMapping("/refund-transaction/{id}")
  ResponseEntity<byte[]> refund(@PathVariable String id) {
    Optional<ObjectNode> original = records.find(id).filter(r -> r.has("transaction_id"));
    if (original.isEmpty()) {
      return error(404, "transaction not found");
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
    refund.put("parent_transaction", id);
    refund.put("status", "REFUNDED");
    return ok(201, insert("transactions", COLLECTIONS.get("transactions"), refund));
  }

  @PostMapping("/search/{collection}")
  ResponseEntity<byte[]> search(@PathVariable String collection, @RequestBody(required = false) String body) {
    return ok(200, search(collection, parse(body)));
  }

  @PostMapping("/{id}/metadata")
  ResponseEntity<byte[]> metadata(@PathVariable String id, @RequestBody(required = false) String body) {
    ObjectNode request = parse(body);
    Optional<ObjectNode> found = records.find(id);
    if (found.isEmpty()) {
      return error(404, "no record with id " + id);
    }
    ObjectNode record = found.get();
    ObjectNode meta = record.path("meta_data").isObject() ? (ObjectNode) record.get("meta_data") : object();
    if (request.path("meta_data").isObject()) {
      meta.setAll((ObjectNode) request.get("meta_data"));
    }
    record.set("meta_data", meta);
    records.update(id, record);
    return ok(201, object().set("meta_data", meta));
  }

  private ObjectNode insert(String name, String[] collection, ObjectNode body) {
    String id = collection[1] + UUID.randomUUID();
    ObjectNode record = object().put(collection[0], id);
    record.setAll(body);
    record.put(collection[0], id);
    record.put("created_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    if (!record.path("meta_data").isObject()) {
      record.set("meta_data", object());
    }
    records.insert(name, id, record);
    return record;
  }

  private ObjectNode search(String collection, ObjectNode body) {
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

  private ResponseEntity<byte[]> multiSearch(ObjectNode body) {
    ArrayNode results = Records.JSON.createArrayNode();
    for (JsonNode s : body.path("searches")) {
      results.add(search(s.path("collection").asText(""), s.isObject() ? (ObjectNode) s : object()));
    }
    return ok(200, object().set("results", results));
  }

  /** The body as a JSON object; anything else is a 400 (see {@link BadRequest}). */
  private static ObjectNode parse(String body) {
    try {
      JsonNode node = body == null ? null : Records.JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BadRequest("request body must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      throw new BadRequest("request body is not valid JSON");
    }
  }

  @org.springframework.web.bind.annotation.ExceptionHandler(BadRequest.class)
  ResponseEntity<byte[]> badRequest(BadRequest e) {
    return error(400, e.getMessage());
  }

  private static ObjectNode object() {
    return Records.JSON.createObjectNode();
  }

  private static ResponseEntity<byte[]> ok(int status, JsonNode body) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(Records.write(body).getBytes(StandardCharsets.UTF_8));
  }

  private static ResponseEntity<byte[]> error(int status, String message) {
    return ok(status, object().put("error", message));
  }

  private static ResponseEntity<byte[]> notFound(String method, String path) {
    return error(404, "no route for " + method + " " + path);
  }

  /** A malformed request body. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
