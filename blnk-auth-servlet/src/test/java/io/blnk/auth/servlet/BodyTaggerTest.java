package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class BodyTaggerTest {

  static final String ID = "api_key_879f0ecb-e29f-4137-801b-1048366381db";
  static final String TAG = "{\"BLNK_GENERATED_BY\":\"" + ID + "\"}";

  final BodyTagger tagger = new BodyTagger();

  String tag(String body, String... pointers) throws Exception {
    List<TagTargets.Pointer> targets =
        pointers.length == 0 ? List.of(TagTargets.META_DATA) : List.of(pointers).stream().map(TagTargets.Pointer::parse).toList();
    return new String(tagger.tag(body.getBytes(StandardCharsets.UTF_8), ID, targets), StandardCharsets.UTF_8);
  }

  @Test
  void anAbsentMetaDataIsAppendedAndEverythingElseKeptByteForByte() throws Exception {
    String body =
        "{ \"precise_amount\": 123456789012345678901234567890, \"big\": 1e21, \"tiny\": -0.000000000000000000001,"
            + " \"z\": \"\\u00e9\\/\\\"q\\\"\", \"a\": [1.50, true, null, {\"x\": 1E+2}] }";
    assertThat(tag(body))
        .isEqualTo(
            "{ \"precise_amount\": 123456789012345678901234567890, \"big\": 1e21, \"tiny\": -0.000000000000000000001,"
                + " \"z\": \"\\u00e9\\/\\\"q\\\"\", \"a\": [1.50, true, null, {\"x\": 1E+2}],\"meta_data\":" + TAG + " }");
  }

  @Test
  void aNumberOfThousandsOfDigitsIsKept() throws Exception {
    String digits = "9".repeat(5000) + "." + "1".repeat(5000) + "e-5000";
    assertThat(tag("{\"n\":" + digits + "}")).isEqualTo("{\"n\":" + digits + ",\"meta_data\":" + TAG + "}");
  }

  @Test
  void anEmptyObjectGetsMetaData() throws Exception {
    assertThat(tag("{}")).isEqualTo("{\"meta_data\":" + TAG + "}");
    assertThat(tag(" {\n} ")).isEqualTo(" {\"meta_data\":" + TAG + "\n} ");
  }

  @Test
  void anObjectMetaDataKeepsItsMembersInOrderAndGainsTheTag() throws Exception {
    assertThat(tag("{\"amount\":1.10,\"meta_data\":{\"b\":2, \"a\":\"x\"},\"z\":0}"))
        .isEqualTo("{\"amount\":1.10,\"meta_data\":{\"b\":2,\"a\":\"x\",\"BLNK_GENERATED_BY\":\"" + ID + "\"},\"z\":0}");
  }

  @Test
  void aForgedTagIsOverwrittenEvenWhenEscaped() throws Exception {
    String out = tag("{\"meta_data\":{\"BLNK_GENERATED_BY\":\"api_key_forged\",\"k\":1}}");
    assertThat(out).isEqualTo("{\"meta_data\":{\"k\":1,\"BLNK_GENERATED_BY\":\"" + ID + "\"}}");
    out = tag("{\"meta\\u005fdata\":{\"BLNK_GENERATED\\u005fBY\":\"again\"}}");
    assertThat(out).isEqualTo("{\"meta\\u005fdata\":" + TAG + "}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"meta_data\":{},\"meta\\u005fdata\":{\"BLNK_GENERATED_BY\":\"forged\"}}",
        "{\"meta_data\":{\"BLNK_GENERATED_BY\":\"a\",\"BLNK_GENERATED\\u005fBY\":\"b\"}}",
        "{\"transactions\":[],\"transactions\":[{\"meta_data\":{}}]}",
        "{\"a\":{\"x\":1,\"x\":2}}"
      })
  void duplicateNamesAnywhereAreRefused(String body) {
    assertThatThrownBy(() -> tag(body, "/meta_data", "/transactions/*/meta_data")).isInstanceOf(BodyTagger.MalformedBody.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"text\"", "42", "-1.5e300", "[1,2]", "true", "false"})
  void aNonObjectMetaDataBecomesTheTagObject(String value) throws Exception {
    assertThat(tag("{\"meta_data\":" + value + ",\"n\":1}")).isEqualTo("{\"meta_data\":" + TAG + ",\"n\":1}");
    assertThat(tag("{\"n\":1,\"meta_data\": " + value + " }")).isEqualTo("{\"n\":1,\"meta_data\": " + TAG + " }");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "[{\"meta_data\":1}]", "\"s\"", "12", "[]"})
  void jsonValuesWithoutATargetPassUnchanged(String body) throws Exception {
    byte[] in = body.getBytes(StandardCharsets.UTF_8);
    assertThat(tagger.tag(in, ID, List.of(TagTargets.META_DATA))).isSameAs(in);
  }

  @Test
  void starPatternsTagEveryArrayElementAndOnlyObjects() throws Exception {
    String body = "{\"transactions\":[{\"a\":1},{\"meta_data\":{\"BLNK_GENERATED_BY\":\"x\"}},7,[],{\"meta_data\":\"s\"}]}";
    assertThat(tag(body, "/transactions/*/meta_data"))
        .isEqualTo("{\"transactions\":[{\"a\":1,\"meta_data\":" + TAG + "},{\"meta_data\":" + TAG + "},7,[],{\"meta_data\":" + TAG + "}]}");
    assertThat(tag("[{},{\"b\":[{}]}]", "/*/meta_data", "/*/b/*/meta_data"))
        .isEqualTo("[{\"meta_data\":" + TAG + "},{\"b\":[{\"meta_data\":" + TAG + "}],\"meta_data\":" + TAG + "}]");
    assertThat(tag("{\"transactions\":{\"0\":{}}}", "/transactions/*/meta_data")).isEqualTo("{\"transactions\":{\"0\":{}}}");
    assertThat(tag("{\"transactions\":[{}]}", "/transactions/0/meta_data"))
        .isEqualTo("{\"transactions\":[{\"meta_data\":" + TAG + "}]}");
  }

  @Test
  void severalTargetsInOneObjectAreAllWritten() throws Exception {
    assertThat(tag("{\"x\":1}", "/meta_data", "/other")).isEqualTo("{\"x\":1,\"meta_data\":" + TAG + ",\"other\":" + TAG + "}");
    assertThat(tag("{}", "/a~1b", "/meta_data", "/meta_data")).isEqualTo("{\"a/b\":" + TAG + ",\"meta_data\":" + TAG + "}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "   ", "{", "{\"a\":", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":1} x", "{\"a\":1}{\"b\":2}", "{\"a\":01}",
        "{\"a\":NaN}", "{\"a\":\"unterminated}", "{\"a\":1 /* c */}", "{\"meta_data\":{\"x\":}}", "hello", "<xml/>", "a=b&c=d"
      })
  void bodiesThatAreNotOneStrictJsonValueAreRefused(String body) {
    assertThatThrownBy(() -> tag(body)).isInstanceOf(BodyTagger.MalformedBody.class);
  }

  @Test
  void deepNestingIsRefusedNotOverflowed() {
    String deep = "{\"a\":" + "[".repeat(100_000);
    assertThatThrownBy(() -> tag(deep)).isInstanceOf(BodyTagger.MalformedBody.class);
    assertThatThrownBy(() -> tag("{\"transactions\":" + "[".repeat(100_000), "/transactions/*/meta_data"))
        .isInstanceOf(BodyTagger.MalformedBody.class);
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThatThrownBy(() -> tagger.tag(body, ID, List.of(TagTargets.META_DATA))).isInstanceOf(BodyTagger.MalformedBody.class);
  }

  @Test
  void theOutputIsValidJsonWithTheTag() throws Exception {
    String out = tag("{\"a\":{\"meta_data\":{\"BLNK_GENERATED_BY\":\"inner\"}},\"s\":\"\\\\\",\"meta_data\":{\"x\":[{}]}}");
    JsonNode node = Json.MAPPER.readTree(out);
    assertThat(node.path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo(ID);
    assertThat(node.path("meta_data").path("x").toString()).isEqualTo("[{}]");
    assertThat(node.path("a").path("meta_data").path("BLNK_GENERATED_BY").asText()).isEqualTo("inner");
    assertThat(node.path("s").asText()).isEqualTo("\\");
  }

  @ParameterizedTest
  @ValueSource(strings = {"meta_data", "/", "/a/*", "/a/", "/a~2"})
  void malformedPointersAreRefused(String pointer) {
    assertThatThrownBy(() -> TagTargets.Pointer.parse(pointer)).isInstanceOf(IllegalArgumentException.class);
  }
}
