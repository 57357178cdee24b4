package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body limit on its own: declared lengths, counted chunked bodies, and the 413 it answers. */
final class BodyLimitTest {

  /** A chain recording the request it was given and running {@code body} on it. */
  static final class Chain implements FilterChain {
    final List<ServletRequest> seen = new ArrayList<>();
    final Step step;

    interface Step {
      void run(HttpServletRequest request) throws IOException;
    }

    Chain(Step step) {
      this.step = step;
    }

    @Override
    public void doFilter(ServletRequest request, jakarta.servlet.ServletResponse response) throws IOException {
      seen.add(request);
      step.run((HttpServletRequest) request);
    }
  }

  static Fakes.Request sized(long declared, int actual) {
    Fakes.Request r = new Fakes.Request().path("POST", "/ledgers").body("application/json", new byte[actual]);
    r.contentLength = declared;
    return r;
  }

  static Fakes.Request chunked(int actual) {
    return sized(-1, actual).header("Transfer-Encoding", "chunked");
  }

  static byte[] readAll(HttpServletRequest request) throws IOException {
    return request.getInputStream().readAllBytes();
  }

  @Test
  void aDeclaredLengthBeyondTheLimitIsRefusedUnreadWith413() throws Exception {
    Fakes.Request r = sized(11, 11);
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain(BodyLimitTest::readAll);
    HttpServletRequest req = r.build();
    BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults());
    assertThat(chain.seen).isEmpty();
    assertThat(out.status).isEqualTo(413);
    assertThat(out.body.toString(StandardCharsets.UTF_8)).contains("GEN_PAYLOAD_TOO_LARGE");
    assertThat(r.bodyReads).as("the refused body is drained").isEqualTo(1);
  }

  @Test
  void aDeclaredLengthAtTheLimitPassesUnwrapped() throws Exception {
    Fakes.Request r = sized(10, 10);
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain(req -> assertThat(readAll(req)).hasSize(10));
    HttpServletRequest req = r.build();
    BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults());
    assertThat(chain.seen).containsExactly(req);
    assertThat(out.status).isEqualTo(200);
  }

  @Test
  void aBodyAlreadyReadOrAbsentPassesAsItIs() throws Exception {
    Fakes.Request big = sized(100, 100);
    HttpServletRequest req = big.build();
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain(r -> {});
    BodyLimit.pass(req, req, out.build(), chain, 10, true, RefusalDrain.defaults());
    assertThat(chain.seen).containsExactly(req);
    assertThat(out.status).isEqualTo(200);

    HttpServletRequest none = sized(-1, 0).build(); // no length, no Transfer-Encoding: no body
    Chain chain2 = new Chain(r -> {});
    BodyLimit.pass(none, none, new Fakes.Response().build(), chain2, 10, false, RefusalDrain.defaults());
    assertThat(chain2.seen).containsExactly(none);

    HttpServletRequest empty = sized(0, 0).header("Transfer-Encoding", "chunked").build();
    Chain chain3 = new Chain(r -> {});
    BodyLimit.pass(empty, empty, new Fakes.Response().build(), chain3, 10, false, RefusalDrain.defaults());
    assertThat(chain3.seen).containsExactly(empty);
  }

  @Test
  void aChunkedBodyWithinTheLimitIsCountedAndPassed() throws Exception {
    Fakes.Request r = chunked(10);
    HttpServletRequest req = r.build();
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain(w -> {
      ServletInputStream in = w.getInputStream();
      assertThat(w.getInputStream()).as("one stream per request").isSameAs(in);
      assertThat(w.getAttribute(RefusalDrain.BODY_STARTED)).isEqualTo(Boolean.TRUE);
      assertThat(in.readAllBytes()).hasSize(10);
      assertThat(in.isFinished()).isTrue();
      assertThat(in.isReady()).isTrue();
    });
    BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults());
    assertThat(chain.seen).hasSize(1);
    assertThat(chain.seen.get(0)).isNotSameAs(req);
    assertThat(out.status).isEqualTo(200);
    assertThat(out.resets).isZero();
  }

  @Test
  void aChunkedBodyBeyondTheLimitFailsTheReadAndIsAnswered413() throws Exception {
    Fakes.Request r = chunked(11);
    HttpServletRequest req = r.build();
    Fakes.Response out = new Fakes.Response();
    out.status = 201;
    Chain chain = new Chain(BodyLimitTest::readAll); // the application lets the failure through
    BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults());
    assertThat(out.status).isEqualTo(413);
    assertThat(out.resets).isEqualTo(1);
    assertThat(out.body.toString(StandardCharsets.UTF_8)).contains("GEN_PAYLOAD_TOO_LARGE");
  }

  @Test
  void anApplicationSwallowingTheFailureIsStillAnswered413() throws Exception {
    Fakes.Request r = chunked(20);
    HttpServletRequest req = r.build();
    Fakes.Response out = new Fakes.Response();
    List<Exception> caught = new ArrayList<>();
    Chain chain = new Chain(w -> {
      ServletInputStream in = w.getInputStream();
      byte[] buf = new byte[4];
      try {
        while (in.read(buf, 0, 4) >= 0) {
          // read on
        }
      } catch (BodyLimit.TooLarge e) {
        caught.add(e);
      }
      try {
        in.read(buf, 0, 4);
      } catch (BodyLimit.TooLarge e) {
        caught.add(e); // every later read fails too
      }
      try {
        in.read();
      } catch (BodyLimit.TooLarge e) {
        caught.add(e);
      }
    });
    BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults());
    assertThat(caught).hasSize(3);
    assertThat(out.status).isEqualTo(413);
    assertThat(out.resets).isEqualTo(1);
  }

  @Test
  void singleByteReadsCountToo() throws Exception {
    HttpServletRequest req = chunked(11).build();
    Fakes.Response out = new Fakes.Response();
    int[] read = {0};
    Chain chain = new Chain(w -> {
      ServletInputStream in = w.getInputStream();
      try {
        while (in.read() >= 0) {
          read[0]++;
        }
      } catch (BodyLimit.TooLarge e) {
        // expected after 10 bytes
      }
    });
    BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults());
    assertThat(read[0]).isEqualTo(10);
    assertThat(out.status).isEqualTo(413);

    HttpServletRequest exact = chunked(10).build();
    Fakes.Response ok = new Fakes.Response();
    int[] n = {0};
    BodyLimit.pass(exact, exact, ok.build(), new Chain(w -> {
      ServletInputStream in = w.getInputStream();
      while (in.read() >= 0) {
        n[0]++;
      }
    }), 10, false, RefusalDrain.defaults());
    assertThat(n[0]).isEqualTo(10);
    assertThat(ok.status).isEqualTo(200);
  }

  @Test
  void aCommittedResponseIsLeftAlone() throws Exception {
    HttpServletRequest req = chunked(20).build();
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain(w -> {
      out.status = 200;
      out.committed = true;
      readAll(w);
    });
    assertThatThrownBy(() -> BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults()))
        .isInstanceOf(BodyLimit.TooLarge.class);
    assertThat(out.resets).isZero();
    assertThat(out.status).isEqualTo(200);

    HttpServletRequest req2 = chunked(20).build();
    Fakes.Response out2 = new Fakes.Response();
    Chain swallowing = new Chain(w -> {
      out2.committed = true;
      try {
        readAll(w);
      } catch (BodyLimit.TooLarge e) {
        // swallowed
      }
    });
    BodyLimit.pass(req2, req2, out2.build(), swallowing, 10, false, RefusalDrain.defaults());
    assertThat(out2.resets).isZero();
    assertThat(out2.status).isEqualTo(200);
  }

  @Test
  void anotherFailureIsRethrownAfterDrainingTheBody() {
    Fakes.Request r = chunked(5);
    HttpServletRequest req = r.build();
    Fakes.Response out = new Fakes.Response();
    Chain chain = new Chain(w -> {
      throw new IOException("application failure");
    });
    assertThatThrownBy(() -> BodyLimit.pass(req, req, out.build(), chain, 10, false, RefusalDrain.defaults()))
        .hasMessage("application failure");
    assertThat(r.bodyReads).isEqualTo(1);
    assertThat(out.status).isEqualTo(200);
    assertThat(out.resets).isZero();
  }

  @Test
  void theReaderDecodesWithTheRequestsCharsetAndRefusesAnUnknownOne() throws Exception {
    Fakes.Request r = chunked(0).body("text/plain", "é".getBytes(StandardCharsets.UTF_8)).header("Transfer-Encoding", "chunked");
    r.contentLength = -1;
    r.characterEncoding = "UTF-8";
    HttpServletRequest req = r.build();
    List<String> lines = new ArrayList<>();
    BodyLimit.pass(req, req, new Fakes.Response().build(), new Chain(w -> {
      BufferedReader reader = w.getReader();
      lines.add(reader.readLine());
    }), 10, false, RefusalDrain.defaults());
    assertThat(lines).containsExactly("é");

    Fakes.Request latin = chunked(0).body("text/plain", "é".getBytes(StandardCharsets.UTF_8));
    latin.contentLength = -1;
    HttpServletRequest req2 = latin.build();
    lines.clear();
    BodyLimit.pass(req2, req2, new Fakes.Response().build(), new Chain(w -> lines.add(w.getReader().readLine())),
        10, false, RefusalDrain.defaults());
    assertThat(lines).as("no charset: ISO-8859-1").containsExactly("Ã©");

    Fakes.Request bad = chunked(1);
    bad.characterEncoding = "no-such-charset";
    HttpServletRequest req3 = bad.build();
    List<Exception> caught = new ArrayList<>();
    BodyLimit.pass(req3, req3, new Fakes.Response().build(), new Chain(w -> {
      try {
        w.getReader();
      } catch (UnsupportedEncodingException e) {
        caught.add(e);
      }
    }), 10, false, RefusalDrain.defaults());
    assertThat(caught).hasSize(1);
    assertThat(caught.get(0)).hasMessage("no-such-charset");
  }
}
