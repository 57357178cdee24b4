package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The key-management console in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}), driven by Selenium, against the example ledger server with {@code
 * BLNK_CONSOLE_ENABLED=true}. Skipped when the browser is not installed, unless {@code
 * -Dblnk.requireBrowser=true}.
 *
 * <p>Screenshots of the main pages go to {@code target/console-screenshots}; with {@code
 * -Dblnk.updateScreenshots=true} they also replace the README's {@code docs/console/*.png}.
 */
final class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final String MASTER = "Console-test-master-key-0123456789-abcdefgHIJKLMN";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static LedgerServer server;
  private static Path dataDir;
  private static String base;

  private ChromeDriver driver;
  private Path profile;
  private WebDriverWait wait;

  @BeforeAll
  static void startServer() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (Boolean.getBoolean("blnk.requireBrowser")) {
      assertThat(installed)
          .as("-Dblnk.requireBrowser=true but %s or %s is missing (apt-get install chromium chromium-driver)",
              CHROMIUM, CHROMEDRIVER)
          .isTrue();
    }
    assumeTrue(installed, "no headless Chromium: install chromium and chromium-driver to run the console tests");
    dataDir = Files.createTempDirectory("blnk-console-test");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    server =
        LedgerServer.start(
            Map.of(
                "BLNK_SERVER_PORT", Integer.toString(port),
                "BLNK_SERVER_SECRET_KEY", MASTER,
                "BLNK_DATA_DIR", dataDir.toString(),
                LedgerServer.ENV_CONSOLE_ENABLED, "true"),
            dataDir.resolve("absent-blnk.json"));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void startBrowser() throws IOException {
    profile = Files.createTempDirectory("blnk-console-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=1180,760");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    // The console rebuilds its table after each change: an element found just before that is
    // stale, and a wait looks again rather than failing.
    wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stopBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ------------------------------------------------------------------ the scenarios

  @Test
  void theMasterKeyCreatesAKeyThatIsShownOnceAndWorksOverHttp() throws Exception {
    open();
    screenshot("sign-in");
    signIn(MASTER);
    assertThat(text("who-label")).isEqualTo("Signed in with the master key");
    assertThat(text("caps")).contains("Master key.");
    showOwner("acme");
    assertThat(text("list-message")).isEqualTo("No keys of owner acme yet.");

    String key = createInConsole("ci deploy", null, "30", "ledgers:read", "ledgers:write", "transactions:read");
    assertThat(key).matches("blnk_[0-9A-Za-z]{49}");
    // Once: closing the reveal forgets it, and nothing on the page holds it any more.
    assertThat(byId("reveal-key").getAttribute("value")).isEmpty();
    assertThat(driver.getPageSource()).doesNotContain(key);
    WebElement row = rowNamed("ci deploy");
    assertThat(row.getText()).contains(key.substring(0, 13) + "…", "active", "ledgers:write", "master key", "never");

    assertThat(get("/ledgers", key).statusCode()).isEqualTo(200);
    HttpResponse<String> denied = get("/balances", key);
    assertThat(denied.statusCode()).isEqualTo(403);
    createOverHttp("acme", "ledger reader", "ledgers:read");
    String revokedId = createOverHttp("acme", "old laptop", "*:read").get("api_key_id").asText();
    send("DELETE", "/api-keys/" + revokedId + "?owner=acme", MASTER, null);
    click("refresh");
    wait.until(d -> rows().size() == 3);
    screenshot("keys");
  }

  @Test
  void revokingInTheConsoleRefusesTheNextRequest() throws Exception {
    JsonNode created = createOverHttp("initech", "payments worker", "ledgers:read");
    String key = created.get("key").asText();
    assertThat(get("/ledgers", key).statusCode()).isEqualTo(200);
    open();
    signIn(MASTER);
    showOwner("initech");
    rowNamed("payments worker").findElement(By.cssSelector("button[data-action=revoke]")).click();
    WebElement dialog = visible("revoke-dialog");
    assertThat(text("revoke-question"))
        .isEqualTo("Revoke “payments worker” (" + key.substring(0, 13) + "…, " + created.get("api_key_id").asText() + ")?");
    screenshot("revoke");
    click("revoke-confirm");
    wait.until(ExpectedConditions.invisibilityOf(dialog));
    wait.until(d -> rowNamed("payments worker").getText().contains("revoked"));
    assertThat(text("notice")).startsWith("Revoked “payments worker”");

    HttpResponse<String> after = get("/ledgers", key);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(code(after)).isEqualTo("AUTH_EXPIRED_API_KEY");
    assertThat(rowNamed("payments worker").findElements(By.cssSelector("button"))).isEmpty();
  }

  @Test
  void rotatingGivesANewKeyWhileTheOldOneWorksForTheGracePeriod() throws Exception {
    JsonNode created = createOverHttp("hooli", "nightly export", "ledgers:read");
    String old = created.get("key").asText();
    open();
    signIn(MASTER);
    showOwner("hooli");
    rowNamed("nightly export").findElement(By.cssSelector("button[data-action=rotate]")).click();
    visible("rotate-dialog");
    assertThat(text("rotate-question")).contains("“nightly export”");
    new org.openqa.selenium.support.ui.Select(byId("rotate-grace")).selectByValue("PT1H");
    click("rotate-confirm");
    visible("reveal-dialog");
    assertThat(text("reveal-about")).contains("keeps working for: 1 hour");
    String fresh = byId("reveal-key").getAttribute("value");
    assertThat(fresh).matches("blnk_[0-9A-Za-z]{49}").isNotEqualTo(old);
    screenshot("reveal");
    click("reveal-done");

    assertThat(get("/ledgers", fresh).statusCode()).isEqualTo(200);
    assertThat(get("/ledgers", old).statusCode()).as("the old key during its grace").isEqualTo(200);
    wait.until(d -> rows().size() == 2);
    List<String> texts = rows().stream().map(WebElement::getText).collect(Collectors.toList());
    assertThat(texts).allSatisfy(t -> assertThat(t).contains("nightly export"));
    assertThat(texts).anySatisfy(t -> assertThat(t).contains(old.substring(0, 13)).contains("in 1 h"));
    assertThat(texts).anySatisfy(t -> assertThat(t).contains(fresh.substring(0, 13)));
  }

  @Test
  void aScopedManagerSeesOnlyItsOwnOwnerAndCannotGrantScopesItLacks() throws Exception {
    String manager =
        createOverHttp("acme-corp", "acme key manager", "api-keys:read", "api-keys:write", "ledgers:read")
            .get("key")
            .asText();
    createOverHttp("acme-corp", "acme reporting", "ledgers:read");
    createOverHttp("globex", "globex secret key", "ledgers:*");
    open();
    signIn(manager);
    assertThat(text("who-label")).isEqualTo("Signed in with “acme key manager” (" + manager.substring(0, 13) + "…)");
    assertThat(byId("owner-form").isDisplayed()).as("no owner chooser for a scoped key").isFalse();
    wait.until(d -> rows().size() == 2);
    assertThat(text("keys-caption")).startsWith("2 keys of owner acme-corp");
    assertThat(driver.getPageSource()).doesNotContain("globex");
    assertThat(text("caps"))
        .contains("of owner acme-corp", "api-keys:read", "api-keys:write", "ledgers:read")
        .contains("May not revoke keys");
    assertThat(driver.findElements(By.cssSelector("button[data-action=revoke]"))).as("no delete scope").isEmpty();
    assertThat(driver.findElements(By.cssSelector("button[data-action=rotate]"))).hasSize(2);
    screenshot("scoped");

    click("new-key");
    visible("create-dialog");
    assertThat(byId("create-owner-field").isDisplayed()).isFalse();
    assertThat(text("delegation-rule")).contains("may grant only scopes its own scopes cover");
    assertThat(scopeBoxes()).containsExactlyInAnyOrder("ledgers:read", "api-keys:read", "api-keys:write");
    assertThat(text("scope-hidden-note")).contains("not offered");
    assertThat(driver.findElements(By.xpath("//tbody[@id='scope-grid-body']//code[text()='balances']")))
        .as("a resource it can grant nothing on is left out")
        .isEmpty();
    // A new key may not outlive the manager (which expires in 30 days): longer presets are off.
    assertThat(byCss("input[name=expiry][value='90']").isEnabled()).isFalse();
    assertThat(byCss("input[name=expiry][value='never']").isEnabled()).isFalse();
    assertThat(byCss("input[name=expiry][value='7']").isEnabled()).isTrue();
    assertThat(byCss("input[name=expiry][value='self']").isSelected()).isTrue();
    assertThat(text("expiry-self")).startsWith("when your key expires (");
    screenshot("create-scoped");
    byId("create-name").sendKeys("acme reader");
    check("ledgers:read");
    click("create-submit");
    visible("reveal-dialog");
    String reader = byId("reveal-key").getAttribute("value");
    click("reveal-done");
    wait.until(d -> rows().size() == 3);
    assertThat(rowNamed("acme reader").getText()).contains("acme key manager (" + manager.substring(0, 13) + "…)");
    assertThat(get("/ledgers", reader).statusCode()).isEqualTo(200);

    // What the console does not offer, the API refuses in the same words the console shows.
    HttpResponse<String> other = get("/api-keys?owner=globex", manager);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(code(other)).isEqualTo("AUTH_CROSS_OWNER_ACCESS");
  }

  @Test
  void aKeyThatMayNotListIsToldSoInTheServersWords() throws Exception {
    String writer = createOverHttp("umbrella", "umbrella writer", "api-keys:write").get("key").asText();
    open();
    signIn(writer);
    assertThat(text("list-message"))
        .isEqualTo("This key may not list keys: Insufficient permissions for api-keys:read");
    click("new-key");
    visible("create-dialog");
    byId("create-name").sendKeys("too much");
    check("api-keys:write");
    // Scopes unknown, so everything is offered; the server refuses the escalation and says why.
    check("ledgers:write");
    click("create-submit");
    wait.until(d -> byId("create-error").isDisplayed());
    assertThat(text("create-error")).startsWith("The key was not created: ").doesNotContain("undefined");
    assertThat(text("create-error").length()).isGreaterThan("The key was not created: ".length() + 5);
  }

  @Test
  void namesAndOwnersHoldingMarkupAreShownAsText() throws Exception {
    String name = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    String owner = "<b>evil</b>";
    createOverHttp(owner, name, "ledgers:read");
    open();
    signIn(MASTER);
    showOwner(owner);
    WebElement cell = rowNamed(name).findElement(By.cssSelector("td.name span"));
    assertThat(cell.getText()).isEqualTo(name);
    assertThat(text("keys-caption")).contains("of owner " + owner);
    assertThat(driver.findElements(By.cssSelector("#keys-body script, #keys-body img, #keys-body b"))).isEmpty();
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
    rowNamed(name).findElement(By.cssSelector("button[data-action=revoke]")).click();
    visible("revoke-dialog");
    assertThat(text("revoke-question")).startsWith("Revoke “" + name + "”");
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
  }

  @Test
  void theKeyIsGoneAfterAReloadAndWasNeverStored() throws Exception {
    open();
    signIn(MASTER);
    showOwner("acme");
    assertThat(js("return document.cookie")).isEqualTo("");
    assertThat(js("return localStorage.length + sessionStorage.length")).isEqualTo(0L);
    assertThat(driver.manage().getCookies()).isEmpty();
    assertThat(driver.getCurrentUrl()).doesNotContain(MASTER);
    driver.navigate().refresh();
    visible("sign-in-view");
    assertThat(byId("keys-view").isDisplayed()).isFalse();
    assertThat(byId("sign-in-key").getAttribute("value")).isEmpty();
    assertThat(driver.getPageSource()).doesNotContain(MASTER);
  }

  @Test
  void anIdleSessionForgetsTheKey() throws Exception {
    open();
    signIn(MASTER);
    // Move the page's clock past the idle timeout instead of waiting fifteen minutes.
    js("const real = Date.now.bind(Date); Date.now = () => real() + 16 * 60 * 1000; return null;");
    wait.until(d -> byId("sign-in-view").isDisplayed());
    assertThat(text("notice")).contains("without activity");
    assertThat(byId("keys-view").isDisplayed()).isFalse();
  }

  @Test
  void theConsoleWorksFromTheKeyboard() throws Exception {
    JsonNode created = createOverHttp("wayne", "keyboard key", "ledgers:read");
    open();
    // The key field has focus on load; Enter submits.
    driver.switchTo().activeElement().sendKeys(MASTER, Keys.ENTER);
    visible("keys-view");
    driver.switchTo().activeElement().sendKeys("wayne", Keys.ENTER);
    wait.until(d -> rows().size() == 1);
    WebElement revoke = rowNamed("keyboard key").findElement(By.cssSelector("button[data-action=revoke]"));
    assertThat(revoke.getAttribute("aria-label")).isEqualTo("Revoke keyboard key");
    revoke.sendKeys(Keys.ENTER);
    visible("revoke-dialog");
    assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("revoke-cancel");
    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    wait.until(d -> !byId("revoke-dialog").isDisplayed());
    assertThat(get("/ledgers", created.get("key").asText()).statusCode()).as("Escape revoked nothing").isEqualTo(200);
    for (String id : List.of("sign-in-key", "owner-input", "filter-text", "filter-status", "sort-by", "create-name")) {
      String label = (String) js("return document.querySelector('label[for=\"" + id + "\"]') ? 'yes' : 'no'");
      assertThat(label).as("a label for #" + id).isEqualTo("yes");
    }
  }

  @Test
  void atPhoneWidthTheListBecomesCardsWithoutSidewaysScrolling() throws Exception {
    createOverHttp("stark", "mobile app", "ledgers:read", "balances:read");
    createOverHttp("stark", "warehouse sync", "transactions:write");
    driver.manage().window().setSize(new Dimension(390, 844));
    open();
    signIn(MASTER);
    showOwner("stark");
    wait.until(d -> rows().size() == 2);
    assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
    assertThat(js("return getComputedStyle(document.querySelector('#keys-body tr')).display")).isEqualTo("block");
    js("document.getElementById('filter-text').scrollIntoView(); return null;");
    screenshot("phone");
  }

  @Test
  void filterAndSortNarrowAndOrderTheList() throws Exception {
    createOverHttp("tyrell", "b replicant", "ledgers:read");
    String revoked = createOverHttp("tyrell", "a retired", "ledgers:read").get("api_key_id").asText();
    createOverHttp("tyrell", "c owl", "balances:read");
    assertThat(send("DELETE", "/api-keys/" + revoked + "?owner=tyrell", MASTER, null).statusCode()).isEqualTo(204);
    open();
    signIn(MASTER);
    showOwner("tyrell");
    wait.until(d -> rows().size() == 3);
    assertThat(names()).containsExactly("c owl", "a retired", "b replicant");
    new org.openqa.selenium.support.ui.Select(byId("sort-by")).selectByValue("name-asc");
    assertThat(names()).containsExactly("a retired", "b replicant", "c owl");
    new org.openqa.selenium.support.ui.Select(byId("filter-status")).selectByValue("revoked");
    assertThat(names()).containsExactly("a retired");
    new org.openqa.selenium.support.ui.Select(byId("filter-status")).selectByValue("all");
    byId("filter-text").sendKeys("balances");
    assertThat(names()).containsExactly("c owl");
    assertThat(text("keys-caption")).isEqualTo("3 keys of owner tyrell, 1 shown");
  }

  // ------------------------------------------------------------------ page helpers

  private void open() {
    driver.get(base + "/blnk-auth/console");
    wait.until(d -> byId("sign-in-key").isDisplayed());
    wait.until(d -> "true".equals(byId("sign-in-view").findElement(By.xpath("/html/body")).getAttribute("data-ready")));
  }

  private void signIn(String key) {
    byId("sign-in-key").sendKeys(key);
    click("sign-in-button");
    visible("keys-view");
  }

  private void showOwner(String owner) {
    byId("owner-input").clear();
    byId("owner-input").sendKeys(owner);
    byId("owner-input").sendKeys(Keys.ENTER);
    wait.until(d -> text("keys-caption").contains("of owner " + owner));
  }

  /** Creates a key in the console and returns the plaintext the reveal showed. */
  private String createInConsole(String name, String owner, String preset, String... scopes) throws Exception {
    click("new-key");
    visible("create-dialog");
    byId("create-name").sendKeys(name);
    if (owner != null) {
      byId("create-owner").clear();
      byId("create-owner").sendKeys(owner);
    }
    for (String s : scopes) {
      check(s);
    }
    driver.findElement(By.cssSelector("input[name=expiry][value='" + preset + "']")).click();
    screenshot("create");
    click("create-submit");
    visible("reveal-dialog");
    String key = byId("reveal-key").getAttribute("value");
    click("reveal-copy");
    wait.until(d -> !text("reveal-copied").isEmpty());
    click("reveal-done");
    wait.until(d -> !byId("reveal-dialog").isDisplayed());
    wait.until(d -> !rowsNamed(name).isEmpty());
    return key;
  }

  private void check(String scope) {
    driver.findElement(By.cssSelector("#scope-grid-body input[value='" + scope + "']")).click();
  }

  private List<String> scopeBoxes() {
    return driver.findElements(By.cssSelector("#scope-grid-body input[name=scope]")).stream()
        .map(e -> e.getAttribute("value"))
        .collect(Collectors.toList());
  }

  private List<WebElement> rows() {
    return driver.findElements(By.cssSelector("#keys-body tr"));
  }

  private List<String> names() {
    return rows().stream()
        .map(r -> r.findElement(By.cssSelector("td.name span")).getText())
        .collect(Collectors.toList());
  }

  private List<WebElement> rowsNamed(String name) {
    return rows().stream()
        .filter(r -> r.findElement(By.cssSelector("td.name span")).getText().equals(name))
        .collect(Collectors.toList());
  }

  private WebElement rowNamed(String name) {
    return wait.until(d -> rowsNamed(name).isEmpty() ? null : rowsNamed(name).get(0));
  }

  private WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  private WebElement byCss(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  private String text(String id) {
    return byId(id).getText();
  }

  private void click(String id) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
  }

  private WebElement visible(String id) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private void screenshot(String name) throws IOException {
    Files.createDirectories(SHOTS);
    Path shot = SHOTS.resolve(name + ".png");
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    if (Boolean.getBoolean("blnk.updateScreenshots")) {
      Path docs = ROOT.resolve("docs").resolve("console");
      Files.createDirectories(docs);
      Files.copy(shot, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  // ------------------------------------------------------------------ plain HTTP

  private static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      r.header("X-Blnk-Key", key);
    }
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path, String key) throws Exception {
    return send("GET", path, key, null);
  }

  private static JsonNode createOverHttp(String owner, String name, String... scopes) throws Exception {
    var body = JSON.createObjectNode();
    body.put("name", name).put("owner", owner).put("expires_at", Instant.now().plus(Duration.ofDays(30)).toString());
    var array = body.putArray("scopes");
    for (String s : scopes) {
      array.add(s);
    }
    HttpResponse<String> r = send("POST", "/api-keys", MASTER, JSON.writeValueAsString(body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static String code(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body()).path("error_detail").path("code").asText();
  }
}
