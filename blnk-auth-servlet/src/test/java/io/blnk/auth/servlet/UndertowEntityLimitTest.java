package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What the README says of Undertow: left at its default, its own entity limit (2 MiB) refuses a
 * larger body with a bare 413 before the filter or the application sees it, whatever the key.
 */
final class UndertowEntityLimitTest {

  @Test
  void undertowsDefaultLimitRefusesBodiesOverTwoMebibytesItself() throws Exception {
    long previous = TestServer.undertowEntityLimit;
    TestServer.undertowEntityLimit = 2L << 20;
    try (TestServer s = new TestServer(TestServer.Container.UNDERTOW)) {
      TestServer.undertowEntityLimit = previous;
      for (int size : new int[] {(2 << 20) - 64, (2 << 20) + 64}) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        HttpRequest r =
            HttpRequest.newBuilder(s.uri("/ledgers"))
                .header("X-Blnk-Key", TestServer.MASTER)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response = s.client.send(r, HttpResponse.BodyHandlers.ofString());
        if (size < 2 << 20) {
          assertThat(response.statusCode()).isEqualTo(200);
        } else {
          assertThat(response.statusCode()).isEqualTo(413);
          assertThat(response.body()).isEmpty();
        }
      }
    } finally {
      TestServer.undertowEntityLimit = previous;
    }
  }
}
