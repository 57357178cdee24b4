package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.ErrorCode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The body policy on its own. */
final class BodyPolicyTest {

  static final String ID = "api_key_879f0ecb-e29f-4137-801b-1048366381db";

  final BodyPolicy policy =
      new BodyPolicy(1024, TagTargets.of(Map.of("/transactions/bulk", List.of("/transactions/*/meta_data"))));

  BodyPolicy.Outcome apply(String type, byte[] body, String... headers) {
    Fakes.Request r = new Fakes.Request().path("POST", "/transactions").body(type, body);
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return policy.apply(r.build(), ID, "/transactions");
  }

  static Refusal refused(BodyPolicy.Outcome o) {
    assertThat(o).isInstanceOf(BodyPolicy.Refused.class);
    return ((BodyPolicy.Refused) o).refusal();
  }

  static String replaced(BodyPolicy.Outcome o) {
    assertThat(o).isInstanceOf(BodyPolicy.Replaced.class);
    return new String(((BodyPolicy.Replaced) o).body(), StandardCharsets.UTF_8);
  }

  @Test
  void noBodyFormsAndMultipartAreNotRead() {
    Fakes.Request empty = new Fakes.Request().path("POST", "/x");
    empty.contentLength = 0;
    assertThat(policy.apply(empty.build(), ID, "/x")).isInstanceOf(BodyPolicy.Untouched.class);
    Fakes.Request get = new Fakes.Request().path("GET", "/x");
    assertThat(policy.apply(get.build(), ID, "/x")).isInstanceOf(BodyPolicy.Untouched.class);
    for (String type : List.of("application/x-www-form-urlencoded; charset=ISO-8859-1", "multipart/form-data; boundary=x", "MULTIPART/mixed")) {
      Fakes.Request r = new Fakes.Request().path("POST", "/x").body(type, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      assertThat(policy.apply(r.build(), ID, "/x")).as(type).isInstanceOf(BodyPolicy.Untouched.class);
      assertThat(r.bodyReads).isZero();
    }
    Fakes.Request chunked = new Fakes.Request().path("POST", "/x").header("Transfer-Encoding", "chunked");
    chunked.body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(replaced(policy.apply(chunked.build(), ID, "/x"))).contains(ID);
    Fakes.Request h2 = new Fakes.Request().path("POST", "/x");
    h2.protocol = "HTTP/2.0";
    h2.body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(replaced(policy.apply(h2.build(), ID, "/x"))).contains(ID);
  }

  @Test
  void contentEncodingsOtherThanIdentityAreRefusedUnread() {
    Fakes.Request r = new Fakes.Request().path("POST", "/x").body("application/json", new byte[] {1, 2});
    r.header("Content-Encoding", "identity").header("Content-Encoding", "gzip");
    Refusal refusal = refused(policy.apply(r.build(), ID, "/x"));
    assertThat(refusal.code()).isEqualTo(ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE);
    assertThat(refusal.message()).contains("\"gzip\"");
    assertThat(r.bodyReads).isZero();
    assertThat(replaced(apply("application/json", "{}".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "Identity"))).contains(ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=IBM037", "text/plain;charset=utf-16", "application/json; charset=\"latin1\"", "text/csv; charset=x"})
  void declaredCharsetsOtherThanUtf8AreRefused(String type) {
    assertThat(refused(apply(type, "a".getBytes(StandardCharsets.UTF_8))).code()).isEqualTo(ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json; charset=UTF-8", "application/json;charset=utf8", "text/plain; CHARSET=\"us-ascii\"", "application/json"})
  void utf8AndAsciiMayBeDeclared(String type) {
    assertThat(replaced(apply(type, "{}".getBytes(StandardCharsets.UTF_8)))).contains(ID);
  }

  @Test
  void jsonTypedBodiesMustBeStrict() {
    assertThat(refused(apply("application/vnd.x+json", "hello".getBytes(StandardCharsets.UTF_8))).code())
        .isEqualTo(ErrorCode.GEN_MALFORMED_REQUEST);
    assertThat(replaced(apply("text/json", "  ".getBytes(StandardCharsets.UTF_8)))).isEqualTo("  ");
    assertThat(replaced(apply("application/json", "[1]".getBytes(StandardCharsets.UTF_8)))).isEqualTo("[1]");
    assertThat(refused(apply("application/json", "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))).code())
        .isEqualTo(ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void aBodyOverTheLimitIsRefused() {
    assertThat(refused(apply("text/plain", new byte[1025])).code()).isEqualTo(ErrorCode.GEN_PAYLOAD_TOO_LARGE);
  }

  @Test
  void otherBodiesPassByteForByteUnlessTheyStartLikeJsonInSomeCharset() {
    byte[] csv = "Hello,h\n1,2".getBytes(StandardCharsets.UTF_8);
    assertThat(((BodyPolicy.Replaced) apply("text/csv", csv)).body()).isEqualTo(csv);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13};
    assertThat(((BodyPolicy.Replaced) apply("application/octet-stream", png)).body()).isEqualTo(png);
    for (String cs : List.of("IBM037", "IBM1047", "IBM500", "UTF-16LE", "UTF-32BE")) {
      byte[] json = "\n {\"a\":1}".getBytes(Charset.forName(cs));
      assertThat(refused(apply("application/octet-stream", json)).code()).as(cs).isEqualTo(ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE);
    }
  }

  @Test
  void theBulkRouteIsTaggedPerTransaction() {
    Fakes.Request r = new Fakes.Request().path("POST", "/transactions/bulk")
        .body("application/json", "{\"transactions\":[{},{}]}".getBytes(StandardCharsets.UTF_8));
    String out = replaced(policy.apply(r.build(), ID, "/transactions/bulk"));
    assertThat(out.split(ID, -1)).hasSize(3);
    assertThat(out).doesNotStartWith("{\"meta_data\"").startsWith("{\"transactions\":[{\"meta_data\"");
  }

  @Test
  void aByteOrderMarkIsKeptOutsideTheTaggedJson() {
    assertThat(replaced(apply("application/json", "\uFEFF{}".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("\uFEFF{\"meta_data\":{\"BLNK_GENERATED_BY\":\"" + ID + "\"}}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{", " [", "\u00a0{", "\f{", "\uFEFF{", "\u200b[", "// x\n{", "# x\r{", "/* x */{", ")]}'\n{", ")]}',\n[", "while(1);{",
        "for(;;);[", "\u0000\u0001{", "\u2028{"
      })
  void lenientStartsAreSeen(String text) {
    assertThat(BodyPolicy.startsLikeJson(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, true)).as(text).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "a{", "\"{\"", "1", "null", "/* unterminated {", "// no end {", "<{", "x[1]"})
  void otherStartsAreNot(String text) {
    assertThat(BodyPolicy.startsLikeJson(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, true)).as(text).isFalse();
  }

  @Test
  void aLongSkippablePrefixCountsAsJson() {
    byte[] spaces = " ".repeat(BodyPolicy.SNIFF_BYTES + 10).getBytes(StandardCharsets.UTF_8);
    assertThat(BodyPolicy.startsLikeJson(spaces, StandardCharsets.UTF_8, true)).isTrue();
    assertThat(BodyPolicy.startsLikeJson((" ".repeat(100) + "x").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, true)).isFalse();
    assertThat(BodyPolicy.startsLikeJson("[".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false)).isFalse();
  }

  @Test
  void mediaTypesAreParsed() {
    BodyPolicy.MediaType t = BodyPolicy.MediaType.parse(" Application/Problem+JSON ; q=1; charset=\"UTF-8\" ;charset=x");
    assertThat(t.essence()).isEqualTo("application/problem+json");
    assertThat(t.charsets()).containsExactly("UTF-8", "x");
    assertThat(t.isJson()).isTrue();
    assertThat(BodyPolicy.MediaType.parse(null).essence()).isEmpty();
    assertThat(BodyPolicy.MediaType.parse("application/jsonp").isJson()).isFalse();
    assertThat(BodyPolicy.MediaType.parse("application/x-json").isJson()).isTrue();
  }

  @Test
  void apiKeysBodiesFollowTheSameRules() {
    Fakes.Request r = new Fakes.Request().path("POST", "/api-keys").body("application/json", "{}".getBytes(StandardCharsets.UTF_16));
    assertThat(refused(policy.readJson(r.build())).code()).isEqualTo(ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE);
    r = new Fakes.Request().path("POST", "/api-keys").body("application/json", "\uFEFF{}".getBytes(StandardCharsets.UTF_8));
    assertThat(replaced(policy.readJson(r.build()))).isEqualTo("{}");
    r = new Fakes.Request().path("POST", "/api-keys").body("application/json; charset=IBM500", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(refused(policy.readJson(r.build())).code()).isEqualTo(ErrorCode.GEN_UNSUPPORTED_MEDIA_TYPE);
  }
  @Test
  void aPrefixCutOffAtTheSniffWindowIsReadWhole() {
    // the first 64 characters end in the start of a prefix or comment: the wider window decides
    byte[] prefix = (" ".repeat(62) + ")]}',\n{}").getBytes(StandardCharsets.UTF_8);
    assertThat(BodyPolicy.startsLikeJson(prefix, StandardCharsets.UTF_8, true)).isTrue();
    byte[] comment = (" ".repeat(63) + "//x\n{}").getBytes(StandardCharsets.UTF_8);
    assertThat(BodyPolicy.startsLikeJson(comment, StandardCharsets.UTF_8, true)).isTrue();
    byte[] early = ("x" + " ".repeat(100)).getBytes(StandardCharsets.UTF_8);
    assertThat(BodyPolicy.startsLikeJson(early, StandardCharsets.UTF_8, true)).isFalse();
  }

  @Test
  void commentsThatNeverEndHideNothing() {
    assertThat(BodyPolicy.significant("# only a comment")).isEqualTo(-1);
    assertThat(BodyPolicy.significant("// only a comment")).isEqualTo(-1);
    assertThat(BodyPolicy.significant("/* unclosed")).isEqualTo(-1);
    assertThat(BodyPolicy.significant("/*/{")).isEqualTo(-1);
    assertThat(BodyPolicy.significant("/**/{")).isEqualTo(4);
    assertThat(BodyPolicy.significant("# c\n{")).isEqualTo(4);
  }

  @Test
  void byteOrderMarksAndTheirAbsence() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    assertThat(BodyPolicy.withoutBom(bom)).isEmpty();
    assertThat(BodyPolicy.withoutBom(new byte[] {(byte) 0xEF, (byte) 0xBB})).hasSize(2);
    assertThat(BodyPolicy.checkUtf8(new byte[0])).isNull();
    assertThat(BodyPolicy.checkUtf8(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{'}).message())
        .contains("with a UTF-16 or UTF-32 byte order mark");
    assertThat(BodyPolicy.checkUtf8(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0}).message())
        .contains("with a UTF-16 or UTF-32 byte order mark");
    assertThat(BodyPolicy.checkUtf8(new byte[] {'{', 0}).message()).contains("with NUL bytes");
    assertThat(BodyPolicy.checkUtf8(new byte[] {'{', (byte) 0xC3}).message()).contains("bytes that are not UTF-8");
  }

  @Test
  void aZeroLengthIsNoBodyEvenWhenChunkingIsNamed() {
    Fakes.Request r = new Fakes.Request().path("POST", "/l").header("Transfer-Encoding", "chunked");
    r.contentLength = 0;
    assertThat(BodyPolicy.hasBody(r.build())).isFalse();
    r.contentLength = -1;
    assertThat(BodyPolicy.hasBody(r.build())).isTrue();
    Fakes.Request h2 = new Fakes.Request().path("POST", "/l");
    h2.protocol = "HTTP/2.0"; // no length and no chunking in HTTP/2: a body may still follow
    assertThat(BodyPolicy.hasBody(h2.build())).isTrue();
    h2.protocol = "HTTP/1.1";
    assertThat(BodyPolicy.hasBody(h2.build())).isFalse();
  }

  @Test
  void anEmptyQuotedCharsetIsNamedInTheRefusal() {
    Refusal r = BodyPolicy.checkCharset(BodyPolicy.MediaType.parse("application/json; charset=\"\""));
    assertThat(r.message()).isEqualTo("charset \"\" is not accepted: request bodies must be UTF-8");
    assertThat(BodyPolicy.checkCharset(BodyPolicy.MediaType.parse("application/json; charset=\"utf-8\""))).isNull();
  }
}
