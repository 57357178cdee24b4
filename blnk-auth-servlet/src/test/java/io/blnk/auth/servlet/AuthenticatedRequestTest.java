package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkPrincipal;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The granted request as the application sees it, over a hand-written container request. */
final class AuthenticatedRequestTest {

  static BlnkPrincipal writer() {
    AuthResult r = RequestGateTest.AUTH.authenticate(RequestGateTest.WRITER, "127.0.0.1");
    assertThat(r).isInstanceOf(AuthResult.Granted.class);
    return ((AuthResult.Granted) r).principal();
  }

  static Fakes.Request container() {
    Fakes.Request r = new Fakes.Request().path("POST", "/ledgers");
    r.body("application/json", "{\"original\":true}".getBytes(StandardCharsets.UTF_8));
    r.header("Content-Length", "17");
    r.header("Transfer-Encoding", "chunked");
    r.header("X-Other", "7");
    return r;
  }

  static AuthenticatedRequest replaced(Fakes.Request r, String body) {
    return new AuthenticatedRequest(
        r.build(), new Fakes.Response().build(), writer(), body.getBytes(StandardCharsets.UTF_8));
  }

  static String read(ServletInputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void thePrincipalIsTheKeysAndRolesAreScopes() {
    AuthenticatedRequest a = new AuthenticatedRequest(container().build(), null, writer(), null);
    assertThat(a.getUserPrincipal()).isEqualTo(writer());
    assertThat(a.getRemoteUser()).isEqualTo(writer().getName()).startsWith("api_key_");
    assertThat(a.getAuthType()).isEqualTo("X-Blnk-Key");
    assertThat(a.isUserInRole("ledgers:write")).isTrue();
    assertThat(a.isUserInRole("ledgers:read")).isFalse();
    assertThat(a.isUserInRole("hooks:write")).isFalse();
    assertThat(a.isUserInRole("not a scope")).isFalse();
    assertThat(a.isUserInRole(null)).isFalse();
  }

  @Test
  void withoutAReplacedBodyEverythingIsTheContainers() throws IOException {
    Fakes.Request r = container();
    AuthenticatedRequest a = new AuthenticatedRequest(r.build(), null, writer(), null);
    assertThat(a.bodyRead()).isFalse();
    assertThat(read(a.getInputStream())).isEqualTo("{\"original\":true}");
    assertThat(r.bodyReads).isEqualTo(1);
    assertThat(a.getReader().readLine()).isEqualTo("{\"original\":true}");
    assertThat(a.getContentLength()).isEqualTo(17);
    assertThat(a.getContentLengthLong()).isEqualTo(17L);
    assertThat(a.getHeader("Content-Length")).isEqualTo("17");
    assertThat(a.getHeader("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(Collections.list(a.getHeaders("Transfer-Encoding"))).containsExactly("chunked");
    assertThat(Collections.list(a.getHeaders("Content-Length"))).containsExactly("17");
    assertThat(Collections.list(a.getHeaderNames()))
        .containsExactly("content-length", "transfer-encoding", "x-other");
    assertThat(a.getIntHeader("Content-Length")).isEqualTo(17);
    assertThat(a.getIntHeader("X-Other")).isEqualTo(7);
  }

  @Test
  void aReplacedBodyIsServedWithItsOwnLengthAndNoTransferEncoding() throws IOException {
    Fakes.Request r = container();
    AuthenticatedRequest a = replaced(r, "{\"tagged\":1}");
    assertThat(a.bodyRead()).isTrue();
    assertThat(read(a.getInputStream())).isEqualTo("{\"tagged\":1}");
    assertThat(r.bodyReads).isZero();
    assertThat(a.getContentLength()).isEqualTo(12);
    assertThat(a.getContentLengthLong()).isEqualTo(12L);
    assertThat(a.getHeader("content-length")).isEqualTo("12");
    assertThat(a.getHeader("CONTENT-LENGTH")).isEqualTo("12");
    assertThat(a.getHeader("transfer-encoding")).isNull();
    assertThat(a.getHeader("X-Other")).isEqualTo("7");
    assertThat(a.getHeader(null)).isNull();
    assertThat(Collections.list(a.getHeaders("Content-Length"))).containsExactly("12");
    assertThat(Collections.list(a.getHeaders("Transfer-Encoding"))).isEmpty();
    assertThat(Collections.list(a.getHeaders("X-Other"))).containsExactly("7");
    assertThat(Collections.list(a.getHeaderNames())).containsExactly("content-length", "x-other");
    assertThat(a.getIntHeader("content-length")).isEqualTo(12);
    assertThat(a.getIntHeader("X-Other")).isEqualTo(7);
  }

  @Test
  void aReplacedBodyAddsContentLengthWhenTheContainerHadNone() {
    Fakes.Request r = new Fakes.Request().path("POST", "/ledgers");
    r.header("Transfer-Encoding", "chunked");
    r.header("X-Other", "1");
    assertThat(Collections.list(replaced(r, "{}").getHeaderNames()))
        .containsExactly("x-other", "Content-Length");
  }

  @Test
  void theReplacedBodyReadsAsItsDeclaredCharsetOrUtf8() throws IOException {
    Fakes.Request r = container();
    AuthenticatedRequest utf8 = replaced(r, "{\"n\":\"é\"}");
    try (BufferedReader reader = utf8.getReader()) {
      assertThat(reader.readLine()).isEqualTo("{\"n\":\"é\"}");
    }
    r.characterEncoding = "ISO-8859-1";
    try (BufferedReader reader = replaced(r, "{\"n\":\"é\"}").getReader()) {
      assertThat(reader.readLine()).isEqualTo("{\"n\":\"Ã©\"}");
    }
    r.characterEncoding = "no-such-charset";
    assertThatThrownBy(() -> replaced(r, "{}").getReader())
        .isInstanceOf(UnsupportedEncodingException.class)
        .hasMessage("no-such-charset");
    r.characterEncoding = "bad charset name!";
    assertThatThrownBy(() -> replaced(r, "{}").getReader())
        .isInstanceOf(UnsupportedEncodingException.class);
  }

  @Test
  void theReplayedStreamReportsWhatIsLeft() throws IOException {
    ServletInputStream in = replaced(container(), "abcd").getInputStream();
    assertThat(in.isReady()).isTrue();
    assertThat(in.isFinished()).isFalse();
    assertThat(in.available()).isEqualTo(4);
    assertThat(in.read()).isEqualTo('a');
    byte[] two = new byte[2];
    assertThat(in.read(two, 0, 2)).isEqualTo(2);
    assertThat(new String(two, StandardCharsets.US_ASCII)).isEqualTo("bc");
    assertThat(in.available()).isEqualTo(1);
    assertThat(in.isFinished()).isFalse();
    assertThat(in.read()).isEqualTo('d');
    assertThat(in.isFinished()).isTrue();
    assertThat(in.read()).isEqualTo(-1);
    assertThat(in.read(two, 0, 2)).isEqualTo(-1);
  }

  @Test
  void aReadListenerIsToldOfTheDataThenOfTheEnd() throws IOException {
    List<String> calls = new ArrayList<>();
    ServletInputStream in = replaced(container(), "xy").getInputStream();
    in.setReadListener(listener(calls, in, false));
    assertThat(calls).containsExactly("data:xy", "end");

    List<String> empty = new ArrayList<>();
    ServletInputStream none = replaced(container(), "").getInputStream();
    none.setReadListener(listener(empty, none, false));
    assertThat(empty).containsExactly("end");

    List<String> failing = new ArrayList<>();
    ServletInputStream in2 = replaced(container(), "z").getInputStream();
    in2.setReadListener(listener(failing, in2, true));
    assertThat(failing).containsExactly("error:boom");
  }

  private static ReadListener listener(List<String> calls, ServletInputStream in, boolean fail) {
    return new ReadListener() {
      @Override
      public void onDataAvailable() throws IOException {
        if (fail) {
          throw new IOException("boom");
        }
        calls.add("data:" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }

      @Override
      public void onAllDataRead() {
        calls.add("end");
      }

      @Override
      public void onError(Throwable t) {
        calls.add("error:" + t.getMessage());
      }
    };
  }

  @Test
  void startAsyncPairsThisRequestWithTheFiltersResponse() {
    Fakes.Request r = container();
    HttpServletResponse response = new Fakes.Response().build();
    AuthenticatedRequest a = new AuthenticatedRequest(r.build(), response, writer(), null);
    assertThat(a.startAsync()).isSameAs(Fakes.ASYNC);
    assertThat(r.asyncArguments).hasSize(2);
    assertThat(r.asyncArguments[0]).isSameAs(a);
    assertThat(r.asyncArguments[1]).isSameAs(response);
  }
}
