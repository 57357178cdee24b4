package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.store.CircuitState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Actuator and Micrometer through the real server: the {@code blnkAuth} health UP, DOWN while the
 * data source fails, UP again; health public and the other endpoints behind the master key; the
 * meters' values after a known sequence of requests.
 */
@SpringBootTest(
    classes = TestApps.Actuated.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "blnk.auth.master-key=" + TestApps.MASTER_KEY,
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always",
      "blnk.auth.cache.negative-ttl=1ms"
      // Refusal aggregation stays on (10 s): repeats are still counted under their own code.
    })
@DirtiesContext
final class ActuatorHttpTest {

  @LocalServerPort int port;
  @Autowired SwitchableDataSource dataSource;
  @Autowired MeterRegistry meters;
  @Autowired MutableClock clock;
  @Autowired BlnkAuth auth;
  Http http;

  @BeforeEach
  void setUp() {
    http = Http.at(port, "");
    dataSource.fail(false);
    // An earlier outage test leaves the store circuit open for its retry-after (2 s of the test's
    // clock, which the circuit follows): move past it, so the next store call is the probe.
    if (auth.storeCircuitState() == CircuitState.OPEN) {
      clock.advance(Duration.ofSeconds(3));
    }
    assertThat(auth.storeCircuitState()).isNotEqualTo(CircuitState.OPEN);
  }

  private String key(String owner, String... scopes) {
    String expires = clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
    Http.Response r =
        http.post("/api-keys", TestApps.MASTER_KEY,
            "{\"name\":\"t\",\"owner\":\"" + owner + "\",\"scopes\":[\"" + String.join("\",\"", scopes)
                + "\"],\"expires_at\":\"" + expires + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().path("key").asText();
  }

  private JsonNode blnkHealth() {
    Http.Response r = http.get("/actuator/health", null);
    return r.json().path("components").path("blnkAuth");
  }

  @Test
  void healthIsUpThenDownWhileTheStoreFailsThenUpAgain() {
    JsonNode up = blnkHealth();
    assertThat(up.path("status").asText()).isEqualTo("UP");
    assertThat(up.path("details").path("store").asText()).isEqualTo("reachable");
    assertThat(up.path("details").path("schemaVersion").asInt()).isPositive();

    dataSource.fail(true);
    Http.Response down = http.get("/actuator/health", null);
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.json().path("components").path("blnkAuth").path("status").asText()).isEqualTo("DOWN");
    assertThat(down.json().path("components").path("blnkAuth").path("details").path("store").asText())
        .isEqualTo("unreachable");

    dataSource.fail(false);
    assertThat(blnkHealth().path("status").asText()).isEqualTo("UP");
  }

  @Test
  void healthIsPublicAndTheOtherEndpointsNeedTheMasterKey() {
    assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
    assertThat(http.get("/actuator/health/blnkAuth", null).status()).isEqualTo(200);
    assertThat(http.get("/actuator/metrics", null).code()).isEqualTo("AUTH_MISSING_API_KEY");
    Http.Response scoped = http.get("/actuator/metrics", key("ops", "*:*"));
    assertThat(scoped.status()).isEqualTo(403);
    assertThat(http.get("/actuator/metrics", TestApps.MASTER_KEY).status()).isEqualTo(200);
  }

  @Test
  void theDecisionCounterCountsAKnownSequence() {
    String reader = key("metrics-owner", "ledgers:read");
    double grantedBefore = count("granted", "none", "ledgers");
    double missingBefore = count("denied", "AUTH_MISSING_API_KEY", "ledgers");
    double forbiddenBefore = count("denied", "AUTH_INSUFFICIENT_PERMISSIONS", "ledgers");
    double invalidBefore = count("denied", "AUTH_INVALID_API_KEY", "balances");

    http.get("/ledgers", reader);
    http.get("/ledgers", reader);
    http.get("/ledgers", TestApps.MASTER_KEY);
    double otherBefore = meters.find("blnk.auth.decisions").tag("code", "other").counters().stream()
        .mapToDouble(Counter::count).sum();
    // Repeats of one refusal from one address within the aggregation interval: the event sink
    // holds them back, and each must still be counted under its own code.
    for (int i = 0; i < 3; i++) {
      http.get("/ledgers", null);
    }
    http.post("/ledgers", reader, "{}");
    http.post("/ledgers", reader, "{}");
    http.get("/balances", "blnk_not-a-key");
    http.get("/balances", "blnk_not-a-key");
    http.get("/balances", "blnk_not-a-key");
    http.get("/balances", "blnk_not-a-key");

    // A refusal is counted just after its response is written: wait for the server's thread.
    awaitCount("denied", "AUTH_INVALID_API_KEY", "balances", invalidBefore + 4);
    awaitCount("denied", "AUTH_MISSING_API_KEY", "ledgers", missingBefore + 3);
    awaitCount("denied", "AUTH_INSUFFICIENT_PERMISSIONS", "ledgers", forbiddenBefore + 2);
    assertThat(count("granted", "none", "ledgers") - grantedBefore).isEqualTo(3);
    assertThat(count("denied", "AUTH_MISSING_API_KEY", "ledgers") - missingBefore).isEqualTo(3);
    assertThat(count("denied", "AUTH_INSUFFICIENT_PERMISSIONS", "ledgers") - forbiddenBefore).isEqualTo(2);
    assertThat(count("denied", "AUTH_INVALID_API_KEY", "balances") - invalidBefore).isEqualTo(4);
    assertThat(meters.find("blnk.auth.decisions").tag("code", "other").counters().stream()
            .mapToDouble(Counter::count).sum())
        .isEqualTo(otherBefore);
  }

  @Test
  void cacheMetersCountAKnownSequence() {
    String reader = key("cache-owner", "ledgers:read");
    double proofsBefore = gauge("blnk.auth.cache.size", "proofs");
    double hitsBefore = functionCounter("blnk.auth.cache.hits");
    double missesBefore = functionCounter("blnk.auth.cache.misses");

    http.get("/ledgers", reader); // first sight: verified with a store read
    http.get("/ledgers", reader); // proven and cached
    http.get("/ledgers", reader);
    http.get("/ledgers", reader);
    http.get("/ledgers", TestApps.MASTER_KEY); // the master key is no cache's business
    http.get("/ledgers", "blnk_not-a-key"); // nor is a malformed key

    assertThat(functionCounter("blnk.auth.cache.misses") - missesBefore).isEqualTo(1);
    assertThat(functionCounter("blnk.auth.cache.hits") - hitsBefore).isEqualTo(3);
    assertThat(gauge("blnk.auth.cache.size", "proofs") - proofsBefore).isEqualTo(1);
    assertThat(gauge("blnk.auth.cache.size", "records")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theFeedLagIsReportedAndSmallWhileTheStoreAnswers() {
    io.micrometer.core.instrument.TimeGauge lag = meters.find("blnk.auth.feed.lag").timeGauge();
    assertThat(lag).isNotNull();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> lag.value(java.util.concurrent.TimeUnit.SECONDS) < 5);
    assertThat(lag.value(java.util.concurrent.TimeUnit.SECONDS)).isNotNaN().isGreaterThanOrEqualTo(0);
  }

  @Test
  void hashVerificationsAreTimedOncePerKey() {
    String reader = key("timer-owner", "ledgers:read");
    long before = timer("match");
    http.get("/ledgers", reader);
    http.get("/ledgers", reader);
    http.get("/ledgers", reader);
    assertThat(timer("match") - before).isEqualTo(1);
    long mismatchBefore = timer("mismatch");
    String wrong = reader.substring(0, 25) + (reader.charAt(25) == 'a' ? 'b' : 'a') + reader.substring(26);
    Http.Response r = http.get("/ledgers", fixChecksum(wrong));
    assertThat(r.code()).isEqualTo("AUTH_INVALID_API_KEY");
    assertThat(timer("mismatch") - mismatchBefore).isEqualTo(1);
  }

  @Test
  void storeFailuresAreCountedAndAnswered503() {
    String fresh = key("outage-owner", "ledgers:read");
    double before = storeFailures("findByLookupId");
    dataSource.fail(true);
    Http.Response r = http.get("/ledgers", fresh);
    dataSource.fail(false);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("AUTH_STORE_UNAVAILABLE");
    assertThat(storeFailures("findByLookupId") - before).isGreaterThanOrEqualTo(1);
    awaitCount("denied", "AUTH_STORE_UNAVAILABLE", "ledgers", 1);
  }

  private double count(String outcome, String code, String resource) {
    Counter c = meters.find("blnk.auth.decisions")
        .tags("outcome", outcome, "code", code, "resource", resource).counter();
    return c == null ? 0 : c.count();
  }

  /** Waits (up to a generous 30 s, for a loaded machine) until a counter reaches {@code atLeast}. */
  private void awaitCount(String outcome, String code, String resource, double atLeast) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> count(outcome, code, resource) >= atLeast);
  }

  private double gauge(String name, String cache) {
    return meters.get(name).tag("cache", cache).gauge().value();
  }

  private double functionCounter(String name) {
    return meters.get(name).functionCounter().count();
  }

  private long timer(String outcome) {
    Timer t = meters.find("blnk.auth.hash.verifications").tag("outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  private double storeFailures(String operation) {
    Counter c = meters.find("blnk.auth.store.failures").tag("operation", operation).counter();
    return c == null ? 0 : c.count();
  }

  /** A well-formed key with another secret: same lookup id, recomputed checksum. */
  private static String fixChecksum(String key) {
    String head = key.substring(0, key.length() - 6);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char[] check = new char[6];
    long v = crc.getValue();
    for (int i = 5; i >= 0; i--) {
      check[i] = alphabet.charAt((int) (v % 62));
      v /= 62;
    }
    String fixed = head + new String(check);
    assertThat(io.blnk.auth.key.KeyFormat.blnk().isWellFormed(fixed)).isTrue();
    return fixed;
  }
}
