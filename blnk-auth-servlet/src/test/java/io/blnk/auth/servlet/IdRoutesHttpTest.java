package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpTest.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.CreatedKey;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17.3: {@code /{id}/metadata} is authorised as {@code metadata} and as the resource of the
 * record the id names, by Blnk's id prefixes, over real HTTP: ids of every resource, master-only
 * included, and unknown prefixes.
 */
final class IdRoutesHttpTest {

  static final String UUID = "0b5c8a4e-6f1d-4e2a-9c3b-7d8e9f0a1b2c";
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}… names {1}")
  @CsvSource({
    "txn_,     transactions",
    "bulk_,    transactions",
    "ldg_,     ledgers",
    "bln_,     balances",
    "idt_,     identities",
    "acc_,     accounts",
    "mon_,     balance-monitors",
    "recon_,   reconciliation",
    "api_key_, api-keys",
  })
  void metadataNeedsTheScopeOfTheRecordTheIdNames(String prefix, String resource) throws Exception {
    String path = "/" + prefix + UUID + "/metadata";
    CreatedKey both = server.createKey("team-md", "metadata:write", resource + ":write");
    CreatedKey metadataOnly = server.createKey("team-md", "metadata:write");
    CreatedKey recordOnly = server.createKey("team-md", resource + ":write");
    String other = resource.equals("ledgers") ? "balances" : "ledgers";
    CreatedKey wrongRecord = server.createKey("team-md", "metadata:write", other + ":write");
    CreatedKey readOnly = server.createKey("team-md", "metadata:read", resource + ":read");

    HttpResponse<String> ok = server.post(path, key(both), "{}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertError(server.post(path, key(metadataOnly), "{}"), 403, "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for " + resource + ":write");
    assertError(server.post(path, key(wrongRecord), "{}"), 403, "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for " + resource + ":write");
    assertError(server.post(path, key(recordOnly), "{}"), 403, "AUTH_INSUFFICIENT_PERMISSIONS",
        "Insufficient permissions for metadata:write");
    assertError(server.post(path, key(readOnly), "{}"), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
    assertThat(server.get(path, key(readOnly)).statusCode()).isEqualTo(200);
    assertThat(server.post(path, MASTER, "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void aHooksMetadataStaysMasterOnlyWhateverTheKeysScopes() throws Exception {
    String path = "/hook_" + UUID + "/metadata";
    CreatedKey everything = server.createKey("team-hk", "*:*");
    CreatedKey metadata = server.createKey("team-hk", "metadata:write");

    assertError(server.post(path, key(everything), "{}"), 403, "AUTH_MASTER_KEY_REQUIRED", null);
    assertError(server.post(path, key(metadata), "{}"), 403, "AUTH_MASTER_KEY_REQUIRED", null);
    assertError(server.get(path, key(everything)), 403, "AUTH_MASTER_KEY_REQUIRED", null);
    assertThat(server.post(path, MASTER, "{}").statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "/{0}/metadata")
  @CsvSource({
    "hk_" + UUID,
    "xyz_" + UUID,
    "ldg",
    "ldg_",
    "LDG_" + UUID,
    UUID,
    "ledgers_" + UUID,
  })
  void anIdWithNoKnownPrefixIsAnUnknownResource(String id) throws Exception {
    CreatedKey everything = server.createKey("team-unk", "*:*");
    assertError(server.post("/" + id + "/metadata", key(everything), "{}"), 403, "AUTH_UNKNOWN_RESOURCE",
        "Unknown resource type");
    assertThat(server.post("/" + id + "/metadata", MASTER, "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void firstSegmentRoutesAreUnchanged() throws Exception {
    CreatedKey ledgers = server.createKey("team-first", "ledgers:read");
    assertThat(server.get("/ledgers/ldg_" + UUID, key(ledgers)).statusCode()).isEqualTo(200);
    assertError(server.get("/balances/ldg_" + UUID, key(ledgers)), 403, "AUTH_INSUFFICIENT_PERMISSIONS", null);
  }

  @Test
  void aHostMapsItsOwnPrefixesOrReplacesTheTable() throws Exception {
    try (TestServer host =
        new TestServer(true, b -> {}, f -> f.idPrefix("ord_", "transactions").idPrefix("ldg_", "balances"))) {
      CreatedKey k = host.createKey("team-h", "metadata:write", "transactions:write");
      assertThat(host.post("/ord_" + UUID + "/metadata", key(k), "{}").statusCode()).isEqualTo(200);
      assertThat(host.post("/txn_" + UUID + "/metadata", key(k), "{}").statusCode()).isEqualTo(200);
      assertError(host.post("/ldg_" + UUID + "/metadata", key(k), "{}"), 403, "AUTH_INSUFFICIENT_PERMISSIONS",
          "Insufficient permissions for balances:write");
    }
    try (TestServer host = new TestServer(true, b -> {}, f -> f.idPrefixes(Map.of()))) {
      CreatedKey k = host.createKey("team-h", "*:*");
      assertError(host.post("/ldg_" + UUID + "/metadata", key(k), "{}"), 403, "AUTH_UNKNOWN_RESOURCE", null);
      assertThat(host.post("/ldg_" + UUID + "/metadata", MASTER, "{}").statusCode()).isEqualTo(200);
    }
  }
}
