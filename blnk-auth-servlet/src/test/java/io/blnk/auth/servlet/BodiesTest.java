package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reading a whole body within a bound, and cutting a parser's message for an answer. */
final class BodiesTest {

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  @Test
  void aDeclaredBodyAtTheBoundIsReadWholeAndMarkedStarted() throws Exception {
    Fakes.Request r = new Fakes.Request().path("POST", "/l").body("application/json", bytes(100));
    HttpServletRequest req = r.build();
    assertThat(Bodies.read(req, 100)).isEqualTo(bytes(100));
    assertThat(req.getAttribute(RefusalDrain.BODY_STARTED)).isEqualTo(Boolean.TRUE);
  }

  @Test
  void aDeclaredExcessIsRefusedBeforeReading() {
    Fakes.Request r = new Fakes.Request().path("POST", "/l").body("application/json", bytes(101));
    HttpServletRequest req = r.build();
    assertThatThrownBy(() -> Bodies.read(req, 100)).isInstanceOf(Bodies.TooLarge.class);
    assertThat(r.bodyReads).isZero();
    assertThat(req.getAttribute(RefusalDrain.BODY_STARTED)).isNull();
  }

  @Test
  void aChunkedBodyIsCountedAsItIsRead() throws Exception {
    for (int size : new int[] {0, 1, 8191, 8192, 8193, 20_000}) {
      Fakes.Request r = new Fakes.Request().path("POST", "/l").body("application/json", bytes(size));
      r.contentLength = -1;
      assertThat(Bodies.read(r.build(), 20_000)).as("size %d", size).isEqualTo(bytes(size));
    }
    Fakes.Request over = new Fakes.Request().path("POST", "/l").body("application/json", bytes(20_001));
    over.contentLength = -1;
    assertThatThrownBy(() -> Bodies.read(over.build(), 20_000)).isInstanceOf(Bodies.TooLarge.class);
    Fakes.Request lying = new Fakes.Request().path("POST", "/l").body("application/json", bytes(30));
    lying.contentLength = 10; // a stream longer than declared is still bounded
    assertThatThrownBy(() -> Bodies.read(lying.build(), 20)).isInstanceOf(Bodies.TooLarge.class);
  }

  @Test
  void aBrokenStreamIsUnreadable() {
    HttpServletRequest broken =
        new jakarta.servlet.http.HttpServletRequestWrapper(new Fakes.Request().path("POST", "/l").build()) {
          @Override
          public long getContentLengthLong() {
            return -1;
          }

          @Override
          public jakarta.servlet.ServletInputStream getInputStream() {
            throw new IllegalStateException("bad chunk");
          }
        };
    assertThatThrownBy(() -> Bodies.read(broken, 100))
        .isInstanceOf(Bodies.Unreadable.class)
        .hasRootCauseMessage("bad chunk");
  }

  @Test
  void firstLineKeepsTheFirstLineCutTo200Characters() {
    assertThat(Bodies.firstLine(null, "no message")).isEqualTo("no message");
    assertThat(Bodies.firstLine("first\nsecond", "x")).isEqualTo("first");
    assertThat(Bodies.firstLine("\nsecond", "x")).isEmpty();
    assertThat(Bodies.firstLine("only", "x")).isEqualTo("only");
    assertThat(Bodies.firstLine("y".repeat(200), "x")).isEqualTo("y".repeat(200));
    assertThat(Bodies.firstLine("y".repeat(201), "x")).isEqualTo("y".repeat(200) + "...");
    assertThat(Bodies.firstLine("y".repeat(201) + "\nz", "x")).isEqualTo("y".repeat(200) + "...");
  }
}
