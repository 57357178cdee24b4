package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.scope.ResourceRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's pages over real HTTP: served only when enabled, always with strict headers. */
final class ConsoleHttpTest {

  static TestServer enabled;
  static TestServer disabled;
  static TestServer elsewhere;

  @BeforeAll
  static void start() throws Exception {
    enabled = new TestServer(true, b -> {}, f -> f.console(true));
    disabled = new TestServer();
    elsewhere = new TestServer(true, b -> {}, f -> f.console(true).consolePath("/admin/keys"));
  }

  @AfterAll
  static void stop() {
    enabled.close();
    disabled.close();
    elsewhere.close();
  }

  private static void assertStrictHeaders(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp ->
                assertThat(csp)
                    .contains("default-src 'none'", "script-src 'self'", "style-src 'self'")
                    .contains("connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'")
                    .contains("require-trusted-types-for 'script'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*"));
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/blnk-auth/console/|text/html",
        "/blnk-auth/console/console.css|text/css",
        "/blnk-auth/console/console.js|text/javascript",
        "/blnk-auth/console/settings.json|application/json",
        "/blnk-auth/console/favicon.svg|image/svg+xml"
      })
  void everyPartOfTheConsoleIsServedWithoutAKeyAndWithStrictHeaders(String pathAndType) throws Exception {
    String[] p = pathAndType.split("\\|");
    HttpResponse<String> r = enabled.get(p[0], null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(p[1]));
    assertThat(r.body()).isNotBlank();
    assertStrictHeaders(r);
    assertThat(enabled.servletHits.get()).as("the application never sees console requests").isZero();
  }

  @Test
  void thePageLoadsOnlyItsOwnScriptAndStyleAndHasNoInlineCodeOrMarkupSinks() throws Exception {
    String html = enabled.get("/blnk-auth/console/", null).body();
    List<String> scripts = new ArrayList<>();
    Matcher m = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
    while (m.find()) {
      scripts.add(m.group(1).trim());
      assertThat(m.group(2)).as("inline script").isBlank();
    }
    assertThat(scripts).containsExactly("src=\"console.js\" defer");
    assertThat(html).doesNotContain("<style", " style=", " onclick=", " onload=", "http://", "https://", "//cdn");
    assertThat(html).contains("<link rel=\"stylesheet\" href=\"console.css\">");
    String js = enabled.get("/blnk-auth/console/console.js", null).body();
    assertThat(js)
        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(")
        .doesNotContain("localStorage", "sessionStorage", "document.cookie", "indexedDB");
  }

  @Test
  void theSettingsDescribeTheApiAndTheRegistryAndNothingSecret() throws Exception {
    HttpResponse<String> r = enabled.get("/blnk-auth/console/settings.json", null);
    JsonNode s = json(r.body());
    assertThat(s.path("api").asText()).isEqualTo("/api-keys");
    assertThat(s.path("key_prefix").asText()).isEqualTo("blnk");
    assertThat(s.path("idle_timeout_seconds").asLong()).isEqualTo(ConsolePage.IDLE_TIMEOUT.toSeconds());
    List<String> names = new ArrayList<>();
    s.path("resources").forEach(n -> names.add(n.path("name").asText()));
    assertThat(names).containsExactlyElementsOf(ResourceRegistry.BLNK_RESOURCES);
    s.path("resources").forEach(
        n -> assertThat(n.path("master_only").asBoolean()).isEqualTo(n.path("name").asText().equals("hooks")));
    assertThat(r.body()).doesNotContain(MASTER);
  }

  @Test
  void theBarePathRedirectsToThePageSoRelativeLinksResolve() throws Exception {
    HttpResponse<String> r = enabled.get("/blnk-auth/console", null);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValue("/blnk-auth/console/");
    assertStrictHeaders(r);
  }

  @Test
  void anUnknownFileUnderTheConsoleIs404WithTheSameHeaders() throws Exception {
    HttpResponse<String> r = enabled.get("/blnk-auth/console/nope.js", MASTER);
    assertThat(r.statusCode()).isEqualTo(404);
    assertStrictHeaders(r);
    assertThat(enabled.servletHits.get()).isZero();
  }

  @Test
  void otherMethodsAre405() throws Exception {
    HttpResponse<String> r = enabled.post("/blnk-auth/console/", MASTER, "{}");
    FilterHttpCases.assertError(r, 405, "GEN_METHOD_NOT_ALLOWED", "The console answers GET and HEAD only");
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertStrictHeaders(r);
  }

  @Test
  void aPathThatMerelyStartsLikeTheConsoleIsNotTheConsole() throws Exception {
    HttpResponse<String> r = enabled.get("/blnk-auth/consoles", null);
    FilterHttpCases.assertError(r, 401, "AUTH_MISSING_API_KEY", null);
  }

  @Test
  void anAmbiguousPathToTheConsoleIsRefusedLikeAnyOther() throws Exception {
    assertThat(enabled.raw("GET /blnk-auth/x/../console/ HTTP/1.1")).isEqualTo(400);
    assertThat(enabled.raw("GET /blnk-auth/console/%63onsole.js HTTP/1.1")).isEqualTo(400);
  }

  @Test
  void disabledByDefaultTheConsolePathIsAnOrdinaryProtectedPath() throws Exception {
    HttpResponse<String> anonymous = disabled.get("/blnk-auth/console/", null);
    FilterHttpCases.assertError(anonymous, 401, "AUTH_MISSING_API_KEY", null);
    assertThat(anonymous.headers().firstValue("Content-Security-Policy")).isEmpty();
    HttpResponse<String> js = disabled.get("/blnk-auth/console/console.js", null);
    assertThat(js.statusCode()).isEqualTo(401);
    assertThat(js.body()).doesNotContain("addEventListener");
    // With the master key the request passes through to the application, as any other path would.
    int before = disabled.servletHits.get();
    HttpResponse<String> master = disabled.get("/blnk-auth/console/", MASTER);
    assertThat(master.statusCode()).isEqualTo(200);
    assertThat(json(master.body()).path("path").asText()).isEqualTo("/blnk-auth/console/");
    assertThat(master.headers().firstValue("Content-Security-Policy")).isEmpty();
    assertThat(disabled.servletHits.get()).isEqualTo(before + 1);
  }

  @Test
  void aConfiguredPathMovesTheConsole() throws Exception {
    HttpResponse<String> page = elsewhere.get("/admin/keys/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>API keys");
    assertStrictHeaders(page);
    FilterHttpCases.assertError(elsewhere.get("/blnk-auth/console/", null), 401, "AUTH_MISSING_API_KEY", null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "relative", "/trailing/", "/a//b", "/a/../b", "/a b", "/api-keys", "/api-keys/console", "/a;b"})
  void aConsolePathMustBePlainAndAbsolute(String path) {
    assertThatThrownBy(() -> BlnkAuthFilter.builder(disabled.auth).consolePath(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consolePath");
  }
}
