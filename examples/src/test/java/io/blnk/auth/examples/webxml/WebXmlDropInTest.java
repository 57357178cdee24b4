package io.blnk.auth.examples.webxml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.eclipse.jetty.ee10.plus.webapp.EnvConfiguration;
import org.eclipse.jetty.ee10.plus.webapp.PlusConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.plus.jndi.Resource;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deploys {@code src/main/webapp} as a container would (its {@code web.xml}, its {@code
 * blnk.json}, a container-provided JNDI {@code DataSource}) with no set-up code, and uses it.
 */
final class WebXmlDropInTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String MASTER_KEY = masterKeyOfTheExample();

  private static Server server;
  private static JdbcDataSource dataSource;
  private static String base;

  @BeforeAll
  static void deploy() throws Exception {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:webxml-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(Path.of("src/main/webapp").toAbsolutePath().toString());
    webapp.setParentLoaderPriority(true);
    webapp.addConfiguration(new EnvConfiguration(), new PlusConfiguration());
    new Resource(webapp, "jdbc/blnk", dataSource);
    server.setHandler(webapp);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  static void undeploy() throws Exception {
    server.stop();
  }

  @Test
  void requestsWithoutAKeyAreRefusedWithTheEnvelope() throws Exception {
    HttpResponse<String> r = send("GET", "/ledgers", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(r.body()).at("/error_detail/code").asText()).isEqualTo("AUTH_MISSING_API_KEY");
  }

  @Test
  void aKeyCreatedWithTheMasterKeyReachesTheApplicationWithinItsScopes() throws Exception {
    HttpResponse<String> created =
        send(
            "POST",
            "/api-keys",
            MASTER_KEY,
            "{\"name\":\"war\",\"owner\":\"team-war\",\"scopes\":[\"transactions:write\"],"
                + "\"expires_at\":\"2099-01-01T00:00:00Z\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode key = JSON.readTree(created.body());

    HttpResponse<String> write =
        send("POST", "/transactions", key.get("key").asText(), "{\"amount\":123456789012345678901234567890}");
    assertThat(write.statusCode()).as(write.body()).isEqualTo(200);
    JsonNode seen = JSON.readTree(write.body());
    assertThat(seen.get("principal").asText()).isEqualTo(key.get("api_key_id").asText());
    assertThat(seen.get("may_write_transactions").asBoolean()).isTrue();
    assertThat(seen.get("body").asText())
        .isEqualTo(
            "{\"amount\":123456789012345678901234567890,\"meta_data\":{\"BLNK_GENERATED_BY\":\""
                + key.get("api_key_id").asText()
                + "\"}}");

    HttpResponse<String> read = send("GET", "/ledgers", key.get("key").asText(), null);
    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(read.body()).at("/error_detail/message").asText())
        .isEqualTo("Insufficient permissions for ledgers:read");

    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT owner_id FROM blnk_api_keys WHERE api_key_id = '"
                    + key.get("api_key_id").asText().replace("'", "")
                    + "'")) {
      assertThat(rs.next()).as("the key is in the container's database").isTrue();
      assertThat(rs.getString(1)).isEqualTo("team-war");
    }
  }

  private static HttpResponse<String> send(String method, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (key != null) {
      b.header("X-Blnk-Key", key);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String masterKeyOfTheExample() {
    try {
      JsonNode config = JSON.readTree(Files.readString(Path.of("src/main/webapp/WEB-INF/blnk.json")));
      String env = System.getenv("BLNK_SERVER_SECRET_KEY");
      return env != null && !env.isEmpty() ? env : config.at("/server/secret_key").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
