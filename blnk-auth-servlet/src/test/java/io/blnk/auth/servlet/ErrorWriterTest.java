package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.AuthResult;
import io.blnk.auth.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The error writer on its own. */
final class ErrorWriterTest {

  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOneOn429And503() {
    assertThat(ErrorWriter.retryAfterSeconds(429, Duration.ZERO)).isEqualTo(1);
    assertThat(ErrorWriter.retryAfterSeconds(503, Duration.ZERO)).isEqualTo(1);
    assertThat(ErrorWriter.retryAfterSeconds(429, Duration.ofMillis(1))).isEqualTo(1);
    assertThat(ErrorWriter.retryAfterSeconds(429, Duration.ofMillis(1001))).isEqualTo(2);
    assertThat(ErrorWriter.retryAfterSeconds(503, Duration.ofSeconds(30))).isEqualTo(30);
    assertThat(ErrorWriter.retryAfterSeconds(401, Duration.ZERO)).isZero();
    assertThat(ErrorWriter.retryAfterSeconds(401, Duration.ofNanos(1))).isEqualTo(1);
  }

  @Test
  void theEnvelopeIsWrittenWithItsHeaders() throws Exception {
    Fakes.Response out = new Fakes.Response();
    ErrorWriter.write(
        new Fakes.Request().build(),
        out.build(),
        Refusal.of(new AuthResult.Denied(ErrorCode.GEN_RATE_LIMITED, "slow down", Duration.ofMillis(2500))));
    assertThat(out.status).isEqualTo(429);
    assertThat(out.resets).isEqualTo(1);
    assertThat(out.headers).containsEntry("Retry-After", "3").containsEntry("Content-Type", "application/json")
        .containsEntry("Cache-Control", "no-store").doesNotContainKey("Allow");
    assertThat(out.body.toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"slow down\",\"error_detail\":{\"code\":\"GEN_RATE_LIMITED\",\"message\":\"slow down\"}}");
  }

  @Test
  void methodNotAllowedListsTheMethods() throws Exception {
    Fakes.Response out = new Fakes.Response();
    ErrorWriter.write(new Fakes.Request().build(), out.build(), Refusal.methodNotAllowed("PUT", "GET, HEAD, POST"));
    assertThat(out.status).isEqualTo(405);
    assertThat(out.headers).containsEntry("Allow", "GET, HEAD, POST").doesNotContainKey("Retry-After");
    assertThat(out.body.toString(StandardCharsets.UTF_8)).contains("GEN_METHOD_NOT_ALLOWED");
  }

  @Test
  void aHeadRequestGetsNoBodyAndACommittedResponseIsLeftAlone() throws Exception {
    Fakes.Response head = new Fakes.Response();
    ErrorWriter.write(new Fakes.Request().path("HEAD", "/").build(), head.build(), Refusal.of(ErrorCode.AUTH_MISSING_API_KEY));
    assertThat(head.status).isEqualTo(401);
    assertThat(head.body.size()).isZero();
    Fakes.Response committed = new Fakes.Response();
    committed.committed = true;
    ErrorWriter.write(new Fakes.Request().build(), committed.build(), Refusal.of(ErrorCode.GEN_INTERNAL));
    assertThat(committed.status).isEqualTo(200);
    assertThat(committed.resets).isZero();
  }

  @Test
  void callerInputIsQuotedWithEscapes() {
    assertThat(Text.quote("a\"b\\c\n\u202e")).isEqualTo("\"a\\\"b\\\\c\\u000a\\u202e\"");
    assertThat(Text.quote("x".repeat(81))).isEqualTo("\"" + "x".repeat(80) + "...\"");
    assertThat(Text.quote(null)).isEqualTo("null");
    assertThat(Text.quote("x".repeat(80))).isEqualTo("\"" + "x".repeat(80) + "\"");
    assertThat(Text.quote(" ~\u001f\u007f")).isEqualTo("\" ~\\u001f\\u007f\"");
  }
}
