package io.blnk.auth.servlet;

import static io.blnk.auth.servlet.FilterHttpCases.assertError;
import static io.blnk.auth.servlet.TestServer.MASTER;
import static io.blnk.auth.servlet.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.RateLimit;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13 over real HTTP: {@code rate_limits} and {@code credits} on keys, 429 bodies with
 * {@code Retry-After}, the {@code RateLimit-Policy} / {@code RateLimit} fields, request costs.
 * The server's clock (which Bucket4j's buckets follow) only moves when a test moves it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UsageHttpCases {

  abstract TestServer.Container container();

  TestServer server;
  private int owners;

  @BeforeAll
  void start() throws Exception {
    server = new TestServer(container(), true, b -> {}, f -> f.requestCost("search", 5));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** A new key (of a new owner) created over HTTP with {@code usage} JSON fields. */
  private JsonNode create(String usage) throws Exception {
    String owner = "usage-" + (++owners);
    HttpResponse<String> r =
        server.post(
            "/api-keys",
            MASTER,
            "{\"name\":\"metered\",\"owner\":\"" + owner + "\",\"scopes\":[\"ledgers:read\",\"search:write\"],"
                + "\"expires_at\":\"2026-06-01T00:00:00Z\"" + usage + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r.body());
  }

  @Test
  void aKeyIsCreatedWithRateLimitsAndCreditsAndShowsThem() throws Exception {
    JsonNode k =
        create(
            ",\"rate_limits\":[{\"name\":\"default\",\"limit\":100,\"period\":\"PT1S\"},{\"name\":\"daily\",\"limit\":5000,\"period\":86400}],"
                + "\"credits\":{\"remaining\":10000,\"refill\":{\"amount\":10000,\"interval\":\"monthly\",\"day\":1}}");

    assertThat(k.path("rate_limits").toString())
        .isEqualTo("[{\"name\":\"default\",\"limit\":100,\"period\":\"PT1S\"},{\"name\":\"daily\",\"limit\":5000,\"period\":\"PT24H\"}]");
    assertThat(k.path("credits").toString())
        .isEqualTo("{\"remaining\":10000,\"refill\":{\"amount\":10000,\"interval\":\"monthly\",\"day\":1}}");

    HttpResponse<String> listed = server.get("/api-keys?owner=" + k.path("owner_id").asText(), MASTER);
    assertThat(json(listed.body()).get(0).path("credits").path("remaining").asLong()).isEqualTo(10000);
    assertThat(json(listed.body()).get(0).path("rate_limits").size()).isEqualTo(2);
  }

  @Test
  void aKeyWithoutControlsShowsAnEmptyListAndNoCredits() throws Exception {
    JsonNode k = create("");

    assertThat(k.path("rate_limits").toString()).isEqualTo("[]");
    assertThat(k.path("credits").isNull()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'\"rate_limits\":[{\"name\":\"default\",\"limit\":10,\"period\":\"PT0.5S\"}]' | rate_limits[0].period",
        "'\"rate_limits\":[{\"name\":\"default\",\"limit\":10,\"period\":\"P2D\"}]' | rate_limits[0].period",
        "'\"rate_limits\":[{\"name\":\"default\",\"limit\":0,\"period\":\"PT1S\"}]' | rate_limits[0].limit",
        "'\"rate_limits\":[{\"name\":\"Default!\",\"limit\":1,\"period\":\"PT1S\"}]' | rate_limits[0].name",
        "'\"rate_limits\":[{\"limit\":1,\"period\":\"PT1S\"}]' | rate_limits[0].name",
        "'\"rate_limits\":{}' | rate_limits",
        "'\"rate_limits\":[{\"name\":\"a\",\"limit\":1,\"period\":\"PT1S\"},{\"name\":\"a\",\"limit\":2,\"period\":\"PT1S\"}]' | rate_limits",
        "'\"credits\":{\"remaining\":-1}' | credits.remaining",
        "'\"credits\":{\"remaining\":\"lots\"}' | credits.remaining",
        "'\"credits\":{\"remaining\":5,\"refill\":{\"amount\":5,\"interval\":\"weekly\"}}' | credits.refill.interval",
        "'\"credits\":{\"remaining\":5,\"refill\":{\"amount\":0,\"interval\":\"daily\"}}' | credits.refill.amount",
        "'\"credits\":{\"remaining\":5,\"refill\":{\"amount\":5,\"interval\":\"monthly\",\"day\":32}}' | credits.refill.day",
        "'\"credits\":{\"remaining\":5,\"refill\":{\"amount\":5,\"interval\":\"daily\",\"day\":3}}' | credits.refill.day",
      })
  void invalidControlsAreRefusedNamingTheField(String fields, String field) throws Exception {
    HttpResponse<String> r =
        server.post(
            "/api-keys",
            MASTER,
            "{\"name\":\"bad\",\"owner\":\"usage-bad\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"2026-06-01T00:00:00Z\","
                + fields + "}");

    assertError(r, 400, "APIKEY_INVALID", null);
    assertThat(json(r.body()).path("error").asText()).startsWith(field);
  }

  @Test
  void grantedRequestsCarryTheRateLimitFieldsAndTheRefusalIsA429WithRetryAfter() throws Exception {
    String key = create(",\"rate_limits\":[{\"name\":\"default\",\"limit\":2,\"period\":\"PT10S\"}]").path("key").asText();
    int before = server.servletHits.get();

    HttpResponse<String> first = server.get("/ledgers", key);
    HttpResponse<String> second = server.get("/ledgers", key);
    HttpResponse<String> third = server.get("/ledgers", key);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"default\";q=2;w=10");
    assertThat(first.headers().firstValue("RateLimit")).hasValue("\"default\";r=1;t=5");
    assertThat(second.headers().firstValue("RateLimit")).hasValue("\"default\";r=0;t=10");
    assertError(third, 429, "GEN_RATE_LIMITED", "Rate limit \"default\" exceeded: 2 per 10 s");
    assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(third.headers().firstValue("RateLimit-Policy")).hasValue("\"default\";q=2;w=10");
    assertThat(third.headers().firstValue("RateLimit")).hasValue("\"default\";r=0;t=10");
    assertThat(server.servletHits.get() - before).as("refused requests never reach the application").isEqualTo(2);

    server.clock.advance(Duration.ofSeconds(5));
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
  }

  @Test
  void spentCreditsAreRefusedWithUsageExceeded() throws Exception {
    String key = create(",\"credits\":{\"remaining\":2}").path("key").asText();

    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = server.get("/ledgers", key);

    assertError(refused, 429, "AUTH_USAGE_EXCEEDED", "API key usage credits exhausted");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.headers().firstValue("RateLimit")).isEmpty();
  }

  @Test
  void aRouteRuleGivesARequestItsCost() throws Exception {
    String key = create(",\"credits\":{\"remaining\":11}").path("key").asText();

    assertThat(server.post("/search", key, "{}").statusCode()).isEqualTo(200); // 5
    assertThat(server.post("/search", key, "{}").statusCode()).isEqualTo(200); // 10
    assertError(server.post("/search", key, "{}"), 429, "AUTH_USAGE_EXCEEDED", null);
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200); // 11
    assertError(server.get("/ledgers", key), 429, "AUTH_USAGE_EXCEEDED", null);
  }

  @Test
  void anOwnerLimitIsSharedByTheOwnersKeysAndReported() throws Exception {
    JsonNode a = create("");
    String owner = a.path("owner_id").asText();
    server.auth.setOwnerLimit(OwnerId.of(owner), new RateLimit("tenant", 1, Duration.ofMinutes(1)));

    HttpResponse<String> ok = server.get("/ledgers", a.path("key").asText());
    HttpResponse<String> refused = server.get("/ledgers", a.path("key").asText());

    assertThat(ok.headers().firstValue("RateLimit-Policy")).hasValue("\"tenant\";q=1;w=60");
    assertError(refused, 429, "GEN_RATE_LIMITED", null);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
  }

  @Test
  void aPatchReplacesTheLimitsAndTheBalanceAndNullRemovesThem() throws Exception {
    JsonNode k = create(",\"rate_limits\":[{\"name\":\"default\",\"limit\":1,\"period\":\"PT1M\"}],\"credits\":{\"remaining\":1}");
    String key = k.path("key").asText();
    String id = k.path("api_key_id").asText();
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
    assertError(server.get("/ledgers", key), 429, "GEN_RATE_LIMITED", null);

    HttpResponse<String> patched =
        server.send(
            "PATCH",
            "/api-keys/" + id,
            MASTER,
            "{\"rate_limits\":[{\"name\":\"default\",\"limit\":5,\"period\":\"PT1M\"}],\"credits\":{\"remaining\":3}}");

    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    assertThat(json(patched.body()).path("rate_limits").get(0).path("limit").asLong()).isEqualTo(5);
    assertThat(json(patched.body()).path("credits").path("remaining").asLong()).isEqualTo(3);
    int ok = 0;
    for (int i = 0; i < 5; i++) {
      ok += server.get("/ledgers", key).statusCode() == 200 ? 1 : 0;
    }
    assertThat(ok).isEqualTo(3);

    HttpResponse<String> cleared =
        server.send("PATCH", "/api-keys/" + id, MASTER, "{\"rate_limits\":null,\"credits\":null}");
    assertThat(json(cleared.body()).path("rate_limits").size()).isZero();
    assertThat(json(cleared.body()).path("credits").isNull()).isTrue();
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
  }

  @Test
  void aPatchWithAnInvalidLimitNamesTheField() throws Exception {
    String id = create("").path("api_key_id").asText();

    HttpResponse<String> r =
        server.send("PATCH", "/api-keys/" + id, MASTER, "{\"rate_limits\":[{\"name\":\"x\",\"limit\":1,\"period\":\"PT2D\"}]}");

    assertError(r, 400, "APIKEY_INVALID", null);
    assertThat(json(r.body()).path("error").asText()).startsWith("rate_limits[0].period");
  }

  @Test
  void theMasterKeySetsAnOwnersLimitOverHttpAndTheOwnerMayReadButNotLiftIt() throws Exception {
    JsonNode k = create("");
    String owner = k.path("owner_id").asText();
    String key = k.path("key").asText();

    HttpResponse<String> set =
        server.send(
            "PUT",
            "/api-keys/owner-rate-limit?owner=" + owner,
            MASTER,
            "{\"rate_limit\":{\"name\":\"tenant\",\"limit\":2,\"period\":\"PT1M\"}}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(set.body())
        .isEqualTo("{\"owner_id\":\"" + owner + "\",\"rate_limit\":{\"name\":\"tenant\",\"limit\":2,\"period\":\"PT1M\"}}");

    assertThat(server.get("/ledgers", key).headers().firstValue("RateLimit-Policy")).hasValue("\"tenant\";q=2;w=60");
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
    assertError(server.get("/ledgers", key), 429, "GEN_RATE_LIMITED", null);

    assertError(
        server.send("PUT", "/api-keys/owner-rate-limit?owner=" + owner, MASTER, "{\"rate_limit\":{\"limit\":0,\"period\":\"PT1M\"}}"),
        400,
        "APIKEY_INVALID",
        null);
    HttpResponse<String> cleared =
        server.send("PUT", "/api-keys/owner-rate-limit?owner=" + owner, MASTER, "{\"rate_limit\":null}");
    assertThat(json(cleared.body()).path("rate_limit").isNull()).isTrue();
    assertThat(server.get("/ledgers", key).statusCode()).isEqualTo(200);
  }

  @Test
  void aScopedKeyCannotSetItsOwnersLimit() throws Exception {
    String owner = "usage-admin-" + (++owners);
    io.blnk.auth.CreatedKey admin = server.createKey(owner, "api-keys:write", "api-keys:read");

    HttpResponse<String> r =
        server.send(
            "PUT",
            "/api-keys/owner-rate-limit",
            TestServer.key(admin),
            "{\"rate_limit\":{\"name\":\"tenant\",\"limit\":100000,\"period\":\"PT1S\"}}");

    assertError(r, 403, "AUTH_MASTER_KEY_REQUIRED", null);
    HttpResponse<String> read = server.get("/api-keys/owner-rate-limit", TestServer.key(admin));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read.body()).path("owner_id").asText()).isEqualTo(owner);
    assertThat(json(read.body()).path("rate_limit").isNull()).isTrue();
  }

  @Test
  void aLimitedKeyCannotHandOutOrChangeUsageControlsAndItsKeysSpendItsCredits() throws Exception {
    String owner = "usage-delegator-" + (++owners);
    HttpResponse<String> made =
        server.post(
            "/api-keys",
            MASTER,
            "{\"name\":\"delegator\",\"owner\":\"" + owner + "\",\"scopes\":[\"api-keys:*\",\"ledgers:read\"],"
                + "\"expires_at\":\"2026-06-01T00:00:00Z\",\"credits\":{\"remaining\":10}}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String delegator = json(made.body()).path("key").asText();
    String delegatorId = json(made.body()).path("api_key_id").asText();
    String child = "{\"name\":\"child\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\"2026-05-01T00:00:00Z\"";

    HttpResponse<String> unmetered =
        server.post("/api-keys", delegator, child + ",\"credits\":{\"remaining\":1000000}}");
    HttpResponse<String> fast =
        server.post(
            "/api-keys",
            delegator,
            child + ",\"rate_limits\":[{\"name\":\"default\",\"limit\":1000,\"period\":\"PT1S\"}]}");
    HttpResponse<String> own =
        server.send("PATCH", "/api-keys/" + delegatorId, delegator, "{\"credits\":null}");
    String sibling = // unlimited, created by the master key
        server.createKey(owner, java.time.Instant.parse("2026-05-01T00:00:00Z"), "ledgers:read").apiKey().id().value();
    HttpResponse<String> rotated = server.post("/api-keys/" + sibling + "/rotate", delegator, null);

    for (HttpResponse<String> r : List.of(unmetered, fast, own, rotated)) {
      assertError(r, 403, "AUTH_SCOPE_ESCALATION", null);
      assertThat(json(r.body()).path("error").asText()).contains("rate_limits, credits");
    }
    HttpResponse<String> shared = server.post("/api-keys", delegator, child + "}");
    assertThat(shared.statusCode()).as(shared.body()).isEqualTo(201);
    assertThat(json(shared.body()).path("credits").isObject()).isTrue();
    String childKey = json(shared.body()).path("key").asText();
    int granted = 0;
    for (int i = 0; i < 10; i++) {
      granted += server.get("/ledgers", childKey).statusCode() == 200 ? 1 : 0;
    }
    assertThat(granted).isEqualTo(5); // 10 credits, 5 spent by the parent's admitted requests
    assertError(server.get("/ledgers", childKey), 429, "AUTH_USAGE_EXCEEDED", null);
    assertError(server.get("/ledgers", delegator), 429, "AUTH_USAGE_EXCEEDED", null);
  }

  @Test
  void theMasterKeyIsNeitherLimitedNorToldAboutLimits() throws Exception {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = server.get("/ledgers", MASTER);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("RateLimit")).isEmpty();
    }
  }
}
