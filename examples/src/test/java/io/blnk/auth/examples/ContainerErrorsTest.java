package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17.5 and 17.6: every error of the example server, Jetty's own included, is Blnk's JSON
 * envelope; it binds {@code BLNK_SERVER_HOST} and sends no {@code Server} header. Raw requests on
 * a socket, so nothing on the client side tidies them.
 */
final class ContainerErrorsTest {

  static final String MASTER = "Example-master-key-0123456789-abcdefghijKLMNOP";

  @TempDir static Path dataDir;
  static LedgerServer server;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server =
        LedgerServer.start(
            Map.of(
                "BLNK_SERVER_HOST", "127.0.0.1",
                "BLNK_SERVER_PORT", Integer.toString(port),
                "BLNK_SERVER_SECRET_KEY", MASTER,
                "BLNK_DATA_DIR", dataDir.toString()),
            dataDir.resolve("no-blnk.json"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Raw(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }
  }

  static Raw send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      assertThat(text).as("a whole HTTP response").startsWith("HTTP/1.1 ");
      return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
    }
  }

  static void assertEnvelope(Raw r, int status, String code) throws IOException {
    assertThat(r.status()).as(r.head() + "\n" + r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(r.head()).startsWith("application/json");
    assertThat(r.header("Server")).as("no Server header").isNull();
    JsonNode body = Records.JSON.readTree(r.body());
    assertThat(body.size()).as(r.body()).isEqualTo(2);
    assertThat(body.path("error_detail").path("code").asText()).as(r.body()).isEqualTo(code);
    assertThat(body.path("error").asText()).isNotBlank().isEqualTo(body.path("error_detail").path("message").asText());
    assertThat(r.body().toLowerCase(Locale.ROOT)).doesNotContain("<html").doesNotContain("jetty");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad percent-encoding       | GET /ledgers/%zz HTTP/1.1                        | 400 | GEN_MALFORMED_REQUEST",
        "truncated percent-encoding | GET /ledgers/%4 HTTP/1.1                         | 400 | GEN_MALFORMED_REQUEST",
        "encoded slash              | GET /ledgers%2F..%2Fhooks HTTP/1.1               | 400 | GEN_MALFORMED_REQUEST",
        "bad method token           | G@T /ledgers HTTP/1.1                            | 400 | GEN_MALFORMED_REQUEST",
        "bad HTTP version           | GET /ledgers HTTP/7.3                            | 505 | GEN_MALFORMED_REQUEST",
        "junk request line          | \u0001\u0002 nonsense                           | 400 | GEN_MALFORMED_REQUEST",
      })
  void requestsJettyRefusesBeforeAnyHandlerAnswerTheEnvelope(String what, String line, int status, String code)
      throws IOException {
    assertEnvelope(send(line + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), status, code);
  }

  @Test
  void aMalformedHeaderIsTheEnvelope() throws IOException {
    assertEnvelope(
        send("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\nConnection: close\r\n\r\n"),
        400,
        "GEN_MALFORMED_REQUEST");
    assertEnvelope(
        send("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Blnk-Key\r\nConnection: close\r\n\r\n"),
        400,
        "GEN_MALFORMED_REQUEST");
  }

  @Test
  void headersTooLargeIsTheEnvelope() throws IOException {
    assertEnvelope(
        send("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n"),
        431,
        "GEN_MALFORMED_REQUEST");
  }

  @Test
  void anUnknownRouteAndAnUnknownMethodAreTheEnvelope() throws IOException {
    String auth = "\r\nHost: 127.0.0.1\r\nX-Blnk-Key: " + MASTER + "\r\nConnection: close\r\n\r\n";
    assertEnvelope(send("GET /no/such/route HTTP/1.1" + auth), 404, "GEN_NOT_FOUND");
    assertEnvelope(send("PURGE /ledgers HTTP/1.1" + auth), 404, "GEN_NOT_FOUND");
    assertEnvelope(send("DELETE /ledgers/ldg_x HTTP/1.1" + auth), 404, "GEN_NOT_FOUND");
    assertEnvelope(send("GET /ledgers/ldg_missing HTTP/1.1" + auth), 404, "GEN_NOT_FOUND");
  }

  @Test
  void theApplicationsOwnErrorsAreTheEnvelope() throws IOException {
    String body = "not json";
    Raw r =
        send("POST /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Blnk-Key: " + MASTER
            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
            + "\r\nConnection: close\r\n\r\n" + body);
    assertEnvelope(r, 400, "GEN_MALFORMED_REQUEST");
    assertEnvelope(
        send("POST /refund-transaction/txn_missing HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Blnk-Key: " + MASTER
            + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
        404,
        "GEN_NOT_FOUND");
  }

  @Test
  void theFiltersOwnErrorsCarryNoServerHeaderEither() throws IOException {
    assertEnvelope(send("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 401,
        "AUTH_MISSING_API_KEY");
    Raw ok = send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Server")).isNull();
  }

  @Test
  void itBindsTheAddressOfBlnkServerHost() {
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(LedgerServer.host(Map.of())).isEmpty();
    assertThat(LedgerServer.host(Map.of("BLNK_SERVER_HOST", " "))).isEmpty();
    assertThat(LedgerServer.host(Map.of("BLNK_SERVER_HOST", "::1"))).contains("::1");
  }
}
