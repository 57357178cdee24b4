package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The raw-versus-normalised check alone, as a lax container would feed it: here the "container"
 * decodes everything and resolves dot segments, so only the filter's own check stands between an
 * attack and the application.
 */
final class RequestPathsTest {

  /** What a careless container might report as servletPath + pathInfo. */
  static String laxNormalise(String raw) {
    String noParams = raw.replaceAll(";[^/]*", "");
    String decoded;
    try {
      decoded = URLDecoder.decode(noParams.replace("+", "%2B"), StandardCharsets.UTF_8).replace('\\', '/');
    } catch (IllegalArgumentException e) {
      decoded = noParams; // a lax container passes a bad escape through
    }
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    for (String s : decoded.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(s);
      }
    }
    return "/" + String.join("/", out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ledgers/../api-keys", "//api-keys", "/%61pi-keys", "/api-keys;x=y", "/api-keys%2Fx", "/api-keys.", "/./api-keys",
        "/ledgers/%2e%2e/api-keys", "/ledgers\\..\\api-keys", "/ledgers/%5C..%5Capi-keys", "/a%00", "/a%ZZ", "/a%2", "/a%",
        "/ledgers/%FF", "/ledgers/%C3", "/ledgers//x", "/ledgers/x/.", "/ledgers/x/..", "/a b", "/a#b", "/a?b", "/é",
        "/a%25", "/api%2Dkeys", "/a%7E", "/%E2%80%A4%E2%80%A4/x", "/a%E2%88%95b", "/a\"b", "/a<b", "/a|b", "/a{b}", "/a^b",
        "/a`b", "/a[b]", "ledgers", "/a%0Ab", "/a%7F"
      })
  void ambiguousOrNeedlesslyEncodedPathsAreRefused(String raw) {
    assertThat(RequestPaths.check(raw, "", laxNormalise(raw))).as(raw).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/|/", "/ledgers|/ledgers", "/ledgers/|/ledgers/", "/ledgers/ldg_1|/ledgers/ldg_1", "/a%20b|/a b",
        "/l/%C3%A9|/l/é", "/a:b@c|/a:b@c", "/x/metadata|/x/metadata", "/a%3Fb|/a?b", "/a%23b|/a#b", "/a.b/c|/a.b/c",
        "/l/a+b|/l/a+b", "/l/!$&'()*,=|/l/!$&'()*,="
      })
  void plainPathsDecodeToTheContainersPath(String raw, String normalised) {
    assertThat(RequestPaths.check(raw, "", normalised)).isEqualTo(normalised);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"/app/ledgers|/app|/ledgers", "/app|/app|/", "/app/|/app|/"})
  void theContextPathIsStripped(String raw, String context, String normalised) {
    assertThat(RequestPaths.check(raw, context, normalised)).isEqualTo(normalised);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"/ledgers|/api-keys", "/ledgers/|/ledgers", "/a%20b|/a%20b"})
  void aContainerPathThatDisagreesIsRefused(String raw, String normalised) {
    assertThat(RequestPaths.check(raw, "", normalised)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"/|0|''", "/a|0|a", "/a/b|1|b", "/a/b/|1|b", "/a|1|''", "/a/|1|''"})
  void segmentsAreCounted(String path, int index, String segment) {
    assertThat(RequestPaths.segment(path, index)).isEqualTo(segment);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"/l/%E2%80%A5", "/l/%EF%BC%8E", "/l%EF%BC%8Fx", "/l%E2%88%95x", "/l/%E2%80%A4"})
  void lookAlikesOfDotsAndSlashesAreRefused(String raw) {
    assertThat(RequestPaths.decode(raw, 0)).isNull();
  }
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ledgers", "/a//b", "//", "/a/./b", "/a/b.", "/.", "/a%", "/a%2", "/a%2G", "/a%G2", "/%1F", "/%7F", "/%00",
        "/%61", "/%7A", "/%41", "/%5A", "/%30", "/%39", "/%2D", "/%2E", "/%5F", "/%7E", "/%2F", "/%5C", "/%3B", "/%25",
        "/a%80", "/a%C3", "/a\u0080", "/a b", "/a%E2%88%95b"
      })
  void decodeRefusesAmbiguityAndNeedlessEscapes(String raw) {
    assertThat(RequestPaths.decode(raw, 0)).as(raw).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/%c3%a9|/\u00e9", "/%C3%A9|/\u00e9", "/a%3fb|/a?b", "/a%3Fb|/a?b", "/%40|/@", "/%5B|/[", "/%60|/`", "/%7B|/{",
        "/%3A|/:", "/%20|'/ '", "/%21|/!", "/a/|/a/", "/x|/x"
      })
  void decodeAcceptsEscapesInEitherCase(String raw, String decoded) {
    assertThat(RequestPaths.decode(raw, 0)).isEqualTo(decoded);
    assertThat(RequestPaths.decode("/ctx" + raw, 4)).isEqualTo(decoded);
  }

  @Test
  void decodeOfTheContextRootIsTheRoot() {
    assertThat(RequestPaths.decode("/ctx", 4)).isEqualTo("/");
    assertThat(RequestPaths.check("/ctx/a", "/other", "/a")).isNull();
    assertThat(RequestPaths.check(null, "", "/a")).isNull();
    assertThat(RequestPaths.check("/a", null, "/a")).isNull();
    assertThat(RequestPaths.check("/a", "", null)).isNull();
    assertThat(RequestPaths.check("/ctx", "/ctx", "")).isEqualTo("/");
  }
}
