package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refusals a client still uploading can read (the rest of the body is drained), {@code Expect:
 * 100-continue} answered without inviting the body, and the body limit on every request passed on.
 */
final class RefusalDrainHttpTest {

  private static final int MIB = 1024 * 1024;

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** What a raw client saw: whether its whole upload was accepted, and the answer. */
  record Upload(boolean sentAll, String sendFailure, String response) {
    int status() {
      return response.startsWith("HTTP/1.1 ") ? Integer.parseInt(response.substring(9, 12)) : -1;
    }
  }

  /**
   * Sends headers and {@code bodyBytes} of body on a raw socket while reading the answer at the
   * same time, as fetch does: the upload fails if the server resets the connection.
   */
  private Upload upload(String path, String key, int bodyBytes, String... extraHeaders) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port)) {
      socket.setSoTimeout(30_000);
      StringBuilder head =
          new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      if (java.util.Arrays.stream(extraHeaders).noneMatch(h -> h.startsWith("Content-Type:"))) {
        head.append("Content-Type: application/json\r\n");
      }
      head.append("Content-Length: ").append(bodyBytes).append("\r\n");
      if (key != null) {
        head.append("X-Blnk-Key: ").append(key).append("\r\n");
      }
      for (String h : extraHeaders) {
        head.append(h).append("\r\n");
      }
      head.append("\r\n");
      InputStream in = socket.getInputStream();
      CompletableFuture<String> answer =
          CompletableFuture.supplyAsync(
              () -> {
                StringBuilder text = new StringBuilder();
                byte[] buffer = new byte[8192];
                try {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (complete(text)) {
                      break;
                    }
                  }
                } catch (IOException e) {
                  text.append("\n[read failed: ").append(e).append(']');
                }
                return text.toString();
              });
      OutputStream out = socket.getOutputStream();
      String failure = null;
      try {
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
          out.write(chunk, 0, Math.min(chunk.length, bodyBytes - sent));
        }
        out.flush();
      } catch (IOException e) {
        failure = e.toString();
      }
      return new Upload(failure == null, failure, answer.get(60, TimeUnit.SECONDS));
    }
  }

  /** Whether a final (non-100) answer with its Content-Length body is complete. */
  private static boolean complete(StringBuilder text) {
    String s = text.toString();
    int start = 0;
    while (s.startsWith("HTTP/1.1 100", start)) {
      int end = s.indexOf("\r\n\r\n", start);
      if (end < 0) {
        return false;
      }
      start = end + 4;
    }
    int headEnd = s.indexOf("\r\n\r\n", start);
    if (headEnd < 0) {
      return false;
    }
    int cl = s.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ", start);
    if (cl < 0 || cl > headEnd) {
      return true;
    }
    int length = Integer.parseInt(s.substring(cl + 16, s.indexOf("\r\n", cl)).trim());
    return s.length() - (headEnd + 4) >= length;
  }

  @Test
  void aClientStillUploadingAnOversizedBodySeesThe413() throws Exception {
    server = new TestServer();
    String writer = key(server.createKey("team", "transactions:write"));
    for (int size : new int[] {6 * MIB, 8 * MIB, 16 * MIB}) {
      for (int i = 0; i < 5; i++) {
        Upload u = upload("/transactions", writer, size);
        assertThat(u.sentAll()).as("upload of %d bytes: %s", size, u.sendFailure()).isTrue();
        assertThat(u.status()).as(u.response()).isEqualTo(413);
        assertThat(u.response()).contains("\"code\":\"GEN_PAYLOAD_TOO_LARGE\"");
      }
    }
    assertThat(server.servletHits.get()).isZero();
  }

  @Test
  void everyRefusalIsDrainedNotOnlyThe413() throws Exception {
    server = new TestServer();
    String reader = key(server.createKey("team", "transactions:read"));
    Upload missing = upload("/transactions", null, 4 * MIB);
    assertThat(missing.sentAll()).as(missing.sendFailure()).isTrue();
    assertThat(missing.response()).startsWith("HTTP/1.1 401").contains("AUTH_MISSING_API_KEY");
    Upload denied = upload("/transactions", reader, 4 * MIB);
    assertThat(denied.sentAll()).as(denied.sendFailure()).isTrue();
    assertThat(denied.response()).startsWith("HTTP/1.1 403").contains("AUTH_INSUFFICIENT_PERMISSIONS");
  }

  @Test
  void withoutDrainingTheSameUploadIsCutOff() throws Exception {
    server = new TestServer(true, b -> {}, f -> f.refusalDrainBytes(0));
    String writer = key(server.createKey("team", "transactions:write"));
    int failed = 0;
    for (int i = 0; i < 5; i++) {
      Upload u = upload("/transactions", writer, 16 * MIB);
      if (!u.sentAll()) {
        failed++;
      }
    }
    assertThat(failed).as("uploads reset by the server when it does not drain").isPositive();
  }

  @Test
  void beyondTheDrainBoundTheConnectionIsClosed() throws Exception {
    server = new TestServer(true, b -> {}, f -> f.refusalDrainBytes(7L * MIB));
    String writer = key(server.createKey("team", "transactions:write"));
    Upload within = upload("/transactions", writer, 6 * MIB);
    assertThat(within.sentAll()).as(within.sendFailure()).isTrue();
    assertThat(within.status()).isEqualTo(413);
    int failed = 0;
    for (int i = 0; i < 5; i++) {
      if (!upload("/transactions", writer, 16 * MIB).sentAll()) {
        failed++;
      }
    }
    assertThat(failed).as("uploads beyond the bound are cut off").isPositive();
  }

  @Test
  void expectContinueGetsTheRefusalWithoutBeingAskedForTheBody() throws Exception {
    server = new TestServer();
    String writer = key(server.createKey("team", "transactions:write"));
    TestServer.Raw tooLarge =
        server.rawResponse(
            "POST /transactions HTTP/1.1",
            "X-Blnk-Key: " + writer,
            "Content-Type: application/json",
            "Content-Length: " + (16 * MIB),
            "Expect: 100-continue");
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.text()).doesNotContain("100 Continue").contains("GEN_PAYLOAD_TOO_LARGE");
    TestServer.Raw missing =
        server.rawResponse(
            "POST /transactions HTTP/1.1",
            "Content-Type: application/json",
            "Content-Length: 1000",
            "Expect: 100-continue");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.text()).doesNotContain("100 Continue");
  }

  @Test
  void expectContinueWithinTheLimitStillWorks() throws Exception {
    server = new TestServer();
    String writer = key(server.createKey("team", "transactions:write"));
    HttpRequest request =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", writer)
            .expectContinue(true)
            .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
            .build();
    HttpResponse<String> response = server.client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.lastSeen.get().get("body").toString()).contains("BLNK_GENERATED_BY");
  }

  @Test
  void theMasterKeysBodiesAreLimitedToo() throws Exception {
    server = new TestServer();
    Upload declared = upload("/ledgers", MASTER, 6 * MIB);
    assertThat(declared.sentAll()).as(declared.sendFailure()).isTrue();
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.response()).contains("GEN_PAYLOAD_TOO_LARGE");
    byte[] big = new byte[6 * MIB];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpRequest chunked =
        HttpRequest.newBuilder(server.uri("/ledgers"))
            .header("X-Blnk-Key", MASTER)
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    assertError(server.client.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "GEN_PAYLOAD_TOO_LARGE", null);
    assertThat(server.servletHits.get()).as("the chunked body reached the application, which failed reading it").isEqualTo(1);
  }

  @Test
  void aChunkedBodyWithinTheLimitPassesWhole() throws Exception {
    server = new TestServer();
    byte[] body = new byte[3 * MIB];
    java.util.Arrays.fill(body, (byte) 'a');
    HttpRequest chunked =
        HttpRequest.newBuilder(server.uri("/ledgers"))
            .header("X-Blnk-Key", MASTER)
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    HttpResponse<String> response = server.client.send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.lastSeen.get().get("bodyBytes")).isEqualTo(body.length);
  }

  @Test
  void theContainersOwnFormLimitIsReadableToo() throws Exception {
    server = new TestServer();
    // The echo servlet reads parameters: Jetty parses the form and refuses it past 200,000 bytes.
    Upload form = upload("/ledgers", MASTER, 4 * MIB + MIB / 2, "Content-Type: application/x-www-form-urlencoded");
    assertThat(form.sentAll()).as(form.sendFailure()).isTrue();
    assertThat(form.status()).as(form.response()).isBetween(400, 499);
  }

  @Test
  void publicPathsAndSecureModeOffAreLimitedToo() throws Exception {
    server = new TestServer();
    Upload health = upload("/health", null, 6 * MIB);
    assertThat(health.status()).isEqualTo(413);
    server.close();
    server = new TestServer(false, b -> {}, f -> {});
    Upload open = upload("/ledgers", null, 6 * MIB);
    assertThat(open.sentAll()).as(open.sendFailure()).isTrue();
    assertThat(open.status()).isEqualTo(413);
    assertThat(upload("/ledgers", null, 1024).status()).isEqualTo(200);
  }
}
