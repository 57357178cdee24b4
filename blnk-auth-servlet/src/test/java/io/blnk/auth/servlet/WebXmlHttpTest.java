package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter as a drop-in: a plain web application whose WEB-INF/web.xml configures it. */
final class WebXmlHttpTest {

  static final String MASTER = "WebXml-master-key-0123456789-abcdefghijKLMNOP";
  static Server server;
  static int port;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/app");
    webapp.setWar(Path.of("src/test/resources/webapp").toAbsolutePath().toString());
    webapp.setParentLoaderPriority(true);
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.start();
    port = connector.getLocalPort();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app" + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("X-Blnk-Key", key);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theWebXmlFilterWorksEndToEnd() throws Exception {
    assertThat(send("GET", "/status", null, null).statusCode()).isEqualTo(200);
    HttpResponse<String> missing = send("GET", "/ledgers", null, null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(TestServer.json(missing.body()).path("error_detail").path("code").asText()).isEqualTo("AUTH_MISSING_API_KEY");

    HttpResponse<String> created =
        send("POST", "/api-keys", MASTER,
            "{\"name\":\"svc\",\"owner\":\"team\",\"scopes\":[\"ledgers:write\"],\"expires_at\":\"2999-01-01T00:00:00Z\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode k = TestServer.json(created.body());
    String key = k.path("key").asText();
    String id = k.path("api_key_id").asText();

    HttpResponse<String> tagged = send("POST", "/ledgers", key, "{\"n\":1}");
    assertThat(tagged.statusCode()).isEqualTo(200);
    assertThat(tagged.body()).isEqualTo(id + " true {\"n\":1,\"meta_data\":{\"BLNK_GENERATED_BY\":\"" + id + "\"}}");

    HttpResponse<String> bulk = send("POST", "/ledgers/bulk", key, "{\"ledgers\":[{\"n\":1}]}");
    assertThat(bulk.body()).isEqualTo(id + " true {\"ledgers\":[{\"n\":1,\"meta_data\":{\"BLNK_GENERATED_BY\":\"" + id + "\"}}]}");

    HttpResponse<String> refused = send("GET", "/ledgers", key, null);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(send("GET", "/ledgers/../api-keys", key, null).statusCode()).isBetween(400, 499);

    assertThat(send("DELETE", "/api-keys/" + id + "?owner=team", MASTER, null).statusCode()).isEqualTo(204);
    assertThat(send("POST", "/ledgers", key, "{}").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api-keys?owner=team", MASTER, null).body()).contains("\"is_revoked\":true");
  }

  @Test
  void theConsoleIsTurnedOnAndMovedByInitParametersAndKnowsTheContextPath() throws Exception {
    HttpResponse<String> bare = send("GET", "/keys-console", null, null);
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location")).hasValue("/app/keys-console/");
    HttpResponse<String> page = send("GET", "/keys-console/", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains("<title>API keys");
    JsonNode settings = Json.MAPPER.readTree(send("GET", "/keys-console/settings.json", null, null).body());
    assertThat(settings.path("api").asText()).isEqualTo("/app/api-keys");
    assertThat(send("GET", "/blnk-auth/console/", null, null).statusCode()).isEqualTo(401);
  }
}
