package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.CreatedKey;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** BLNK_GENERATED_BY tagging (SPEC section 7) as the application sees it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TaggingHttpCases {

  /** The container this run uses. */
  abstract TestServer.Container container();


  TestServer server;
  CreatedKey writer;
  String tag;

  @BeforeAll
  void start() throws Exception {
    server = new TestServer(container());
    writer = server.createKey("owner-t", "transactions:write", "ledgers:write");
    tag = "{\"BLNK_GENERATED_BY\":\"" + writer.apiKey().id() + "\"}";
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Map<String, Object> seen() {
    return server.lastSeen.get();
  }

  @Test
  void theApplicationReadsTheTaggedBodyWithAMatchingContentLength() throws Exception {
    String body = "{\"precise_amount\":123456789012345678901234567890,\"rate\":1e21,\"fee\":-0.000000000000000000001}";
    assertThat(server.post("/transactions", key(writer), body).statusCode()).isEqualTo(200);
    String expected = body.substring(0, body.length() - 1) + ",\"meta_data\":" + tag + "}";
    assertThat(seen().get("body")).isEqualTo(expected);
    long length = expected.getBytes(StandardCharsets.UTF_8).length;
    assertThat(seen().get("contentLength")).isEqualTo(length);
    assertThat(seen().get("contentLengthHeader")).isEqualTo(Long.toString(length));
  }

  @Test
  void theTaggedBodyCanBeReadThroughTheReader() throws Exception {
    assertThat(server.post("/transactions?reader", key(writer), "{\"name\":\"é\"}").statusCode()).isEqualTo(200);
    assertThat(seen().get("body")).isEqualTo("{\"name\":\"é\",\"meta_data\":" + tag + "}");
  }

  @Test
  void aChunkedBodyWithoutContentLengthIsTaggedToo() throws Exception {
    byte[] body = "{\"amount\":10}".getBytes(StandardCharsets.UTF_8);
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", key(writer))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    assertThat(server.send(r).statusCode()).isEqualTo(200);
    assertThat(seen().get("body")).isEqualTo("{\"amount\":10,\"meta_data\":" + tag + "}");
  }

  @Test
  void anyContentTypeIsTagged() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", key(writer))
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
            .build();
    assertThat(server.send(r).statusCode()).isEqualTo(200);
    assertThat(seen().get("body")).isEqualTo("{\"a\":1,\"meta_data\":" + tag + "}");
  }

  @Test
  void theParametersOfAFormBodyComeFromTheContainer() throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(server.uri("/transactions?role=transactions:write&q=1"))
            .header("X-Blnk-Key", key(writer))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("role=x&amount=10&note=a%20b"))
            .build();
    assertThat(server.send(r).statusCode()).isEqualTo(200);
    assertThat(seen().get("inRole")).isEqualTo(true); // the query's value comes first
    assertThat(seen().get("params").toString())
        .contains("role=[transactions:write, x]", "q=[1]", "amount=[10]", "note=[a b]");
    assertThat((String) seen().get("body")).doesNotContain("BLNK_GENERATED_BY");
  }

  @Test
  void aForgedTagIsOverwritten() throws Exception {
    server.post("/transactions", key(writer), "{\"meta_data\":{\"BLNK_GENERATED_BY\":\"api_key_someone-else\",\"k\":\"v\"}}");
    assertThat(seen().get("body"))
        .isEqualTo("{\"meta_data\":{\"k\":\"v\",\"BLNK_GENERATED_BY\":\"" + writer.apiKey().id() + "\"}}");
  }

  @Test
  void nullEmptyArrayAndScalarJsonBodiesPassUnchanged() throws Exception {
    for (String body : new String[] {"null", "", "[1,2]", "\"x\"", "12"}) {
      assertThat(server.post("/transactions", key(writer), body).statusCode()).as(body).isEqualTo(200);
      assertThat(seen().get("body")).isEqualTo(body);
    }
  }

  @Test
  void bodiesThatDoNotStartLikeJsonPassByteForByte() throws Exception {
    for (String body : new String[] {"amount=10", "hello {\"meta_data\":1}", "<xml/>", "a,b,c\n1,2,3"}) {
      HttpRequest r =
          HttpRequest.newBuilder(server.uri("/transactions"))
              .header("X-Blnk-Key", key(writer))
              .header("Content-Type", "text/plain")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      assertThat(server.send(r).statusCode()).as(body).isEqualTo(200);
      assertThat(seen().get("body")).isEqualTo(body);
    }
  }

  @Test
  void aJsonTypedBodyThatIsNotJsonIsRefused() throws Exception {
    assertError(server.post("/transactions", key(writer), "amount=10"), 400, "GEN_MALFORMED_REQUEST", null);
  }

  @Test
  void aBodyThatStartsLikeAnObjectButIsNotJsonIsRefusedBeforeTheApplication() throws Exception {
    int before = server.servletHits.get();
    assertError(server.post("/transactions", key(writer), "{\"a\":1,}"), 400, "GEN_MALFORMED_REQUEST", null);
    assertThat(server.servletHits.get()).isEqualTo(before);
  }

  @Test
  void putAndPatchBodiesAreTaggedToo() throws Exception {
    for (String method : new String[] {"PUT", "PATCH"}) {
      assertThat(server.send(method, "/transactions/t1", key(writer), "{\"a\":1}").statusCode()).isEqualTo(200);
      assertThat(seen().get("body")).as(method).isEqualTo("{\"a\":1,\"meta_data\":" + tag + "}");
    }
  }

  @Test
  void theMasterKeyNeverTags() throws Exception {
    server.post("/transactions", MASTER, "{\"a\":1}");
    assertThat(seen().get("body")).isEqualTo("{\"a\":1}");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWhetherDeclaredOrChunked() throws Exception {
    byte[] big = new byte[(int) BlnkAuthFilter.DEFAULT_MAX_BODY_BYTES + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpRequest declared =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", key(writer))
            .POST(HttpRequest.BodyPublishers.ofByteArray(big))
            .build();
    assertError(server.send(declared), 413, "GEN_PAYLOAD_TOO_LARGE", null);
    HttpRequest chunked =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", key(writer))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();
    assertError(server.send(chunked), 413, "GEN_PAYLOAD_TOO_LARGE", null);
    byte[] fits = java.util.Arrays.copyOf(big, big.length - 1);
    HttpRequest ok =
        HttpRequest.newBuilder(server.uri("/transactions"))
            .header("X-Blnk-Key", key(writer))
            .POST(HttpRequest.BodyPublishers.ofByteArray(fits))
            .build();
    assertThat(server.send(ok).statusCode()).isEqualTo(200);
  }
}
