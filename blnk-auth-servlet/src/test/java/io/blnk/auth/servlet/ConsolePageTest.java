package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console page on its own: each path and method, its headers and its settings. */
final class ConsolePageTest {

  // Built per test, not once: the page reads its assets when built.
  final ConsolePage page = new ConsolePage("/admin/keys", RequestGateTest.AUTH);

  Fakes.Response serve(String method, String path) throws IOException {
    Fakes.Request r = new Fakes.Request().path(method, path);
    r.contextPath = "/ctx";
    Fakes.Response out = new Fakes.Response();
    out.status = 0; // so that a status never set shows
    page.serve(r.build(), out.build(), path);
    return out;
  }

  static void assertSecureHeaders(Fakes.Response out) {
    assertThat(out.headers)
        .containsEntry("Content-Security-Policy", ConsolePage.CONTENT_SECURITY_POLICY)
        .containsEntry("X-Frame-Options", "DENY")
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("X-Content-Type-Options", "nosniff")
        .containsEntry("Referrer-Policy", "no-referrer")
        .containsEntry("Cross-Origin-Opener-Policy", "same-origin")
        .containsEntry("Cross-Origin-Resource-Policy", "same-origin");
  }

  @Test
  void handlesItsPathAndWhatIsUnderItOnly() {
    assertThat(page.handles("/admin/keys")).isTrue();
    assertThat(page.handles("/admin/keys/")).isTrue();
    assertThat(page.handles("/admin/keys/console.js")).isTrue();
    assertThat(page.handles("/admin/keysx")).isFalse();
    assertThat(page.handles("/admin/key")).isFalse();
    assertThat(page.handles("/admin")).isFalse();
    assertThat(page.handles("/other/admin/keys")).isFalse();
    assertThat(page).hasToString("ConsolePage[/admin/keys]");
  }

  @Test
  void thePathItselfRedirectsToThePathWithASlashInsideTheContext() throws IOException {
    Fakes.Response out = serve("GET", "/admin/keys");
    assertThat(out.status).isEqualTo(302);
    assertThat(out.headers).containsEntry("Location", "/ctx/admin/keys/").containsEntry("Content-Length", "0");
    assertThat(out.committed).isTrue();
    assertThat(out.body.size()).isZero();
    assertSecureHeaders(out);
  }

  @Test
  void thePageAndItsPartsAreServedWithTheirTypes() throws IOException {
    Fakes.Response page = serve("GET", "/admin/keys/");
    assertThat(page.status).isEqualTo(200);
    assertThat(page.headers).containsEntry("Content-Type", "text/html;charset=utf-8");
    assertThat(page.body.toString(StandardCharsets.UTF_8)).contains("<html");
    assertThat(page.headers).containsEntry("Content-Length", String.valueOf(page.body.size()));
    assertThat(page.committed).isTrue();
    assertSecureHeaders(page);

    assertThat(serve("GET", "/admin/keys/console.css").headers)
        .containsEntry("Content-Type", "text/css;charset=utf-8");
    assertThat(serve("GET", "/admin/keys/console.js").headers)
        .containsEntry("Content-Type", "text/javascript;charset=utf-8");
    Fakes.Response icon = serve("GET", "/admin/keys/favicon.svg");
    assertThat(icon.headers).containsEntry("Content-Type", "image/svg+xml");
    assertThat(icon.body.toString(StandardCharsets.UTF_8)).contains("<svg");
  }

  @Test
  void headGetsTheHeadersWithoutTheBody() throws IOException {
    Fakes.Response get = serve("GET", "/admin/keys/console.js");
    Fakes.Response head = serve("HEAD", "/admin/keys/console.js");
    assertThat(head.status).isEqualTo(200);
    assertThat(head.headers).isEqualTo(get.headers);
    assertThat(head.body.size()).isZero();
    assertThat(head.committed).isTrue();
    assertThat(get.body.size()).isPositive();
  }

  @Test
  void settingsDescribeTheServerAndNothingSecret() throws IOException {
    Fakes.Response out = serve("GET", "/admin/keys/settings.json");
    assertThat(out.status).isEqualTo(200);
    assertThat(out.headers).containsEntry("Content-Type", "application/json");
    JsonNode s = Json.MAPPER.readTree(out.body.toByteArray());
    assertThat(s.get("api").asText()).isEqualTo("/ctx/api-keys");
    assertThat(s.get("key_prefix").asText()).isEqualTo(RequestGateTest.AUTH.keyFormat().prefix());
    assertThat(s.get("idle_timeout_seconds").asLong()).isEqualTo(900);
    assertThat(s.get("actions").toString()).isEqualTo("[\"read\",\"write\",\"delete\"]");
    assertThat(s.get("resources").size()).isEqualTo(RequestGateTest.AUTH.registry().resources().size());
    boolean hooksMasterOnly = false;
    boolean ledgersOpen = false;
    for (JsonNode r : s.get("resources")) {
      hooksMasterOnly |= r.get("name").asText().equals("hooks") && r.get("master_only").asBoolean();
      ledgersOpen |= r.get("name").asText().equals("ledgers") && !r.get("master_only").asBoolean();
    }
    assertThat(hooksMasterOnly).isTrue();
    assertThat(ledgersOpen).isTrue();
    assertThat(out.body.toString(StandardCharsets.UTF_8)).doesNotContain(TestServer.MASTER);
    assertSecureHeaders(out);
  }

  @Test
  void anUnknownPartIsAPlain404WithABodyForGetOnly() throws IOException {
    Fakes.Response get = serve("GET", "/admin/keys/nothing.txt");
    assertThat(get.status).isEqualTo(404);
    assertThat(get.headers).containsEntry("Content-Type", "text/plain;charset=utf-8").containsEntry("Content-Length", "10");
    assertThat(get.body.toString(StandardCharsets.UTF_8)).isEqualTo("Not found\n");
    assertThat(get.committed).isTrue();
    assertSecureHeaders(get);
    Fakes.Response head = serve("HEAD", "/admin/keys/nothing.txt");
    assertThat(head.status).isEqualTo(404);
    assertThat(head.body.size()).isZero();
    assertThat(head.committed).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
  void otherMethodsAre405WithAllow(String method) throws IOException {
    Fakes.Response out = serve(method, "/admin/keys/");
    assertThat(out.status).isEqualTo(405);
    assertThat(out.headers).containsEntry("Allow", "GET, HEAD");
    assertThat(out.body.toString(StandardCharsets.UTF_8)).contains("GEN_METHOD_NOT_ALLOWED");
    assertSecureHeaders(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a", "/z", "/blnk-auth/console", "/a.b/c_d/e~f-9", "/A/Z/0"})
  void plainAbsolutePathsAreAccepted(String path) {
    assertThat(ConsolePage.checkPath(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "/", "a/b", "/a/", "/a//b", "/./a", "/a/..", "/a/.", "/a b", "/a%2F", "/a@b", "/a:b",
          "/a{", "/a`", "/a[", "/a/", "//"})
  void otherPathsAreRefused(String path) {
    assertThatThrownBy(() -> ConsolePage.checkPath(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consolePath must be an absolute path");
  }

  @Test
  void theConsoleCannotLiveUnderApiKeys() {
    assertThatThrownBy(() -> ConsolePage.checkPath("/api-keys/console"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("consolePath must not be under /api-keys, was \"/api-keys/console\"");
    assertThat(ConsolePage.checkPath("/api-keysx/console")).isEqualTo("/api-keysx/console");
    assertThatThrownBy(() -> ConsolePage.checkPath(null)).isInstanceOf(NullPointerException.class);
  }
}
