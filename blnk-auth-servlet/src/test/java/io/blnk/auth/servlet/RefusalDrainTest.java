package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.servlet.RefusalDrain.Outcome;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The drain's decisions and bounds, on a request whose body the test controls. */
final class RefusalDrainTest {

  private static final int MIB = 1024 * 1024;

  /** A body of {@code length} bytes (or endless when negative), counting what was read. */
  static class Body extends ServletInputStream {
    final long length;
    long read;

    Body(long length) {
      this.length = length;
    }

    @Override
    public int read() {
      if (length >= 0 && read >= length) {
        return -1;
      }
      read++;
      return 'x';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (length >= 0 && read >= length) {
        return -1;
      }
      int n = length < 0 ? len : (int) Math.min(len, length - read);
      read += n;
      return n;
    }

    @Override
    public boolean isFinished() {
      return length >= 0 && read >= length;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener listener) {
      throw new UnsupportedOperationException();
    }
  }

  /** A request with the given declared length, headers and body; attributes are kept. */
  private static HttpServletRequest request(long declared, Map<String, String> headers, Body body) {
    Map<String, Object> attributes = new HashMap<>();
    return (HttpServletRequest)
        Proxy.newProxyInstance(
            RefusalDrainTest.class.getClassLoader(),
            new Class<?>[] {HttpServletRequest.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getContentLengthLong" -> declared;
                  case "getHeader" -> headers.get((String) args[0]);
                  case "getInputStream" -> body;
                  case "getAttribute" -> attributes.get((String) args[0]);
                  case "setAttribute" -> attributes.put((String) args[0], args[1]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static RefusalDrain drain(long maxBytes, AtomicLong clock) {
    return new RefusalDrain(maxBytes, Duration.ofSeconds(10), clock::get);
  }

  @Test
  void aBodyWithinTheBoundIsReadToItsEnd() {
    Body body = new Body(6 * MIB);
    Outcome o = drain(64L * MIB, new AtomicLong()).drain(request(6 * MIB, Map.of(), body));
    assertThat(o).isEqualTo(Outcome.DRAINED);
    assertThat(body.read).isEqualTo(6L * MIB);
  }

  @Test
  void aChunkedBodyIsReadToItsEndToo() {
    Body body = new Body(3 * MIB);
    Outcome o =
        drain(64L * MIB, new AtomicLong()).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), body));
    assertThat(o).isEqualTo(Outcome.DRAINED);
    assertThat(body.read).isEqualTo(3L * MIB);
  }

  @Test
  void aRequestWithoutABodyReadsNothing() {
    Body body = new Body(10);
    assertThat(drain(64L * MIB, new AtomicLong()).drain(request(0, Map.of(), body))).isEqualTo(Outcome.NO_BODY);
    assertThat(drain(64L * MIB, new AtomicLong()).drain(request(-1, Map.of(), body))).isEqualTo(Outcome.NO_BODY);
    assertThat(body.read).isZero();
  }

  @Test
  void aDeclaredLengthBeyondTheBoundIsNotReadAtAll() {
    Body body = new Body(65L * MIB);
    assertThat(drain(64L * MIB, new AtomicLong()).drain(request(65L * MIB, Map.of(), body)))
        .isEqualTo(Outcome.BOUND_REACHED);
    assertThat(body.read).isZero();
  }

  @Test
  void anEndlessChunkedBodyStopsAtTheByteBound() {
    Body body = new Body(-1);
    Outcome o = drain(MIB, new AtomicLong()).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), body));
    assertThat(o).isEqualTo(Outcome.BOUND_REACHED);
    assertThat(body.read).isGreaterThan(MIB).isLessThanOrEqualTo(MIB + 16 * 1024);
  }

  @Test
  void aSlowBodyStopsAtTheTimeBound() {
    AtomicLong clock = new AtomicLong();
    Body body =
        new Body(-1) {
          @Override
          public int read(byte[] b, int off, int len) {
            clock.addAndGet(Duration.ofSeconds(1).toNanos()); // each read takes a second
            return super.read(b, off, 1);
          }
        };
    Outcome o = drain(64L * MIB, clock).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), body));
    assertThat(o).isEqualTo(Outcome.BOUND_REACHED);
    assertThat(body.read).isBetween(10L, 12L);
  }

  @Test
  void expectContinueLeavesAnUnstartedBodyUnread() {
    Body body = new Body(1000);
    Outcome o = drain(64L * MIB, new AtomicLong()).drain(request(1000, Map.of("Expect", "100-Continue"), body));
    assertThat(o).isEqualTo(Outcome.EXPECT_CONTINUE);
    assertThat(body.read).isZero();
  }

  @Test
  void expectContinueWithTheBodyAlreadyFlowingIsDrained() {
    Body body = new Body(6 * MIB);
    HttpServletRequest request = request(6 * MIB, Map.of("Expect", "100-continue"), body);
    RefusalDrain.markStarted(request);
    assertThat(drain(64L * MIB, new AtomicLong()).drain(request)).isEqualTo(Outcome.DRAINED);
    assertThat(body.read).isEqualTo(6L * MIB);
  }

  @Test
  void zeroTurnsDrainingOff() {
    Body body = new Body(100);
    assertThat(drain(0, new AtomicLong()).drain(request(100, Map.of(), body))).isEqualTo(Outcome.BOUND_REACHED);
    assertThat(body.read).isZero();
  }
  @Test
  void theByteBoundItselfIsStillWithinIt() {
    Body declared = new Body(100);
    assertThat(drain(100, new AtomicLong()).drain(request(100, Map.of(), declared))).isEqualTo(Outcome.DRAINED);
    assertThat(declared.read).isEqualTo(100);
    Body chunked = new Body(100);
    assertThat(drain(100, new AtomicLong()).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), chunked)))
        .isEqualTo(Outcome.DRAINED);
    Body over = new Body(101);
    assertThat(drain(100, new AtomicLong()).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), over)))
        .isEqualTo(Outcome.BOUND_REACHED);
  }

  @Test
  void theTimeBoundItselfIsStillWithinIt() {
    AtomicLong clock = new AtomicLong();
    Body body =
        new Body(3) {
          @Override
          public int read(byte[] b, int off, int len) {
            clock.addAndGet(Duration.ofSeconds(5).toNanos()); // the second read ends at exactly 10 s
            return super.read(b, off, 1);
          }
        };
    Outcome o = drain(64L * MIB, clock).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), body));
    assertThat(o).isEqualTo(Outcome.BOUND_REACHED);
    assertThat(body.read).isEqualTo(3);
    AtomicLong clock2 = new AtomicLong();
    Body two =
        new Body(2) {
          @Override
          public int read(byte[] b, int off, int len) {
            clock2.addAndGet(Duration.ofSeconds(5).toNanos());
            return super.read(b, off, 1);
          }
        };
    assertThat(drain(64L * MIB, clock2).drain(request(-1, Map.of("Transfer-Encoding", "chunked"), two)))
        .isEqualTo(Outcome.DRAINED);
  }

  @Test
  void aNegativeByteBoundIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> drain(-1, new AtomicLong()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
