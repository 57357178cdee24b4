package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyUpdate;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsagePolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code rate_limits}, {@code credits} and the owner's {@code rate_limit} read and written as JSON. */
final class UsageJsonTest {

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  private static String refusal(ThrowingCall call) {
    try {
      call.run();
    } catch (ApiKeysEndpoint.Refused e) {
      assertThat(e.refusal.code()).isEqualTo(ErrorCode.APIKEY_INVALID);
      return e.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("not refused");
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

  private static String readRefusal(String body) {
    return refusal(() -> UsageJson.read(json(body)));
  }

  private static String write(UsagePolicy usage) {
    Map<String, Object> m = new LinkedHashMap<>();
    UsageJson.put(m, usage);
    return new String(Json.bytes(m), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aBodyWithNeitherFieldHasNoUsageControls() throws Exception {
    assertThat(UsageJson.read(json("{}"))).isEqualTo(UsagePolicy.NONE);
    assertThat(UsageJson.read(json("{'rate_limits':null,'credits':null}"))).isEqualTo(UsagePolicy.NONE);
    assertThat(UsageJson.rateLimits(null)).isEmpty();
    assertThat(UsageJson.credits(null)).isEmpty();
  }

  @Test
  void rateLimitsReadWithIsoOrSecondPeriods() throws Exception {
    UsagePolicy p =
        UsageJson.read(json("{'rate_limits':[{'name':'default','limit':100,'period':'PT1S'},"
            + "{'name':'hourly','limit':1000000000,'period':86400}]}"));
    assertThat(p.rateLimits())
        .containsExactly(
            new RateLimit("default", 100, Duration.ofSeconds(1)),
            new RateLimit("hourly", RateLimit.MAX_LIMIT, Duration.ofDays(1)));
    assertThat(p.credits()).isEmpty();
    assertThat(UsageJson.rateLimits(json("[]"))).contains(List.of());
  }

  @Test
  void atMostEightRateLimits() throws Exception {
    StringBuilder eight = new StringBuilder("[");
    for (int i = 0; i < 9; i++) {
      if (i > 0) {
        eight.append(',');
      }
      eight.append("{'name':'l").append(i).append("','limit':1,'period':1}");
    }
    String nine = eight + "]";
    String justEight = nine.substring(0, nine.lastIndexOf(",{")) + "]";
    assertThat(UsageJson.rateLimits(json(justEight)).orElseThrow()).hasSize(8);
    assertThat(refusal(() -> UsageJson.rateLimits(json(nine))))
        .isEqualTo("rate_limits: at most 8 limits, got 9");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{'rate_limits':{}}|rate_limits: expected an array of {name, limit, period}",
        "{'rate_limits':'x'}|rate_limits: expected an array of {name, limit, period}",
        "{'rate_limits':[1]}|rate_limits[0]: expected an object {name, limit, period}",
        "{'rate_limits':[{'limit':1,'period':1}]}|rate_limits[0].name: required, a string",
        "{'rate_limits':[{'name':5,'limit':1,'period':1}]}|rate_limits[0].name: required, a string",
        "{'rate_limits':[{'name':'a','period':1}]}|rate_limits[0].limit: required, a whole number",
        "{'rate_limits':[{'name':'a','limit':null,'period':1}]}|rate_limits[0].limit: required, a whole number",
        "{'rate_limits':[{'name':'a','limit':1.5,'period':1}]}|rate_limits[0].limit: expected a whole number, got number",
        "{'rate_limits':[{'name':'a','limit':'1','period':1}]}|rate_limits[0].limit: expected a whole number, got string",
        "{'rate_limits':[{'name':'a','limit':99999999999999999999,'period':1}]}|rate_limits[0].limit: expected a whole number, got number",
        "{'rate_limits':[{'name':'a','limit':0,'period':1}]}|rate_limits[0].limit must be between 1 and 1000000000, was 0",
        "{'rate_limits':[{'name':'a','limit':1000000001,'period':1}]}|rate_limits[0].limit must be between 1 and 1000000000, was 1000000001",
        "{'rate_limits':[{'name':'a','limit':1}]}|rate_limits[0].period: required, an ISO-8601 duration such as PT1S, or whole seconds",
        "{'rate_limits':[{'name':'a','limit':1,'period':null}]}|rate_limits[0].period: required, an ISO-8601 duration such as PT1S, or whole seconds",
        "{'rate_limits':[{'name':'a','limit':1,'period':'soon'}]}|rate_limits[0].period: \"soon\" is not an ISO-8601 duration such as PT1S",
        "{'rate_limits':[{'name':'a','limit':1,'period':1.5}]}|rate_limits[0].period: expected an ISO-8601 duration string or whole seconds",
        "{'rate_limits':[{'name':'a','limit':1,'period':true}]}|rate_limits[0].period: expected an ISO-8601 duration string or whole seconds",
        "{'rate_limits':[{'name':'a','limit':1,'period':99999999999999999999}]}|rate_limits[0].period: expected an ISO-8601 duration string or whole seconds",
        "{'rate_limits':[{'name':'a','limit':1,'period':0}]}|rate_limits[0].period must be whole seconds from PT1S to P1D (PT24H), was PT0S",
        "{'rate_limits':[{'name':'a','limit':1,'period':86401}]}|rate_limits[0].period must be whole seconds from PT1S to P1D (PT24H), was PT24H1S",
        "{'rate_limits':[{'name':'a','limit':1,'period':1},{'name':'B','limit':1,'period':1}]}|rate_limits[1].name must be 1 to 32 characters of a-z, 0-9, '_' or '-'",
        "{'rate_limits':[{'name':'a','limit':1,'period':1},{'name':'a','limit':2,'period':2}]}|rate_limits: name \"a\" repeats",
      })
  void badRateLimitsAreRefusedNamingTheField(String body, String message) {
    assertThat(readRefusal(body)).isEqualTo(message);
  }

  @Test
  void creditsReadWithAndWithoutRefills() throws Exception {
    assertThat(UsageJson.credits(json("{'remaining':0}"))).contains(Credits.of(0));
    assertThat(UsageJson.credits(json("{'remaining':1000000000000,'refill':null}")))
        .contains(Credits.of(Credits.MAX_CREDITS));
    assertThat(UsageJson.credits(json("{'remaining':5,'refill':{'amount':10,'interval':'daily'}}")))
        .contains(Credits.of(5, Refill.daily(10)));
    assertThat(UsageJson.credits(json("{'remaining':5,'refill':{'amount':10,'interval':'daily','day':null}}")))
        .contains(Credits.of(5, Refill.daily(10)));
    assertThat(UsageJson.credits(json("{'remaining':5,'refill':{'amount':10,'interval':'monthly'}}")))
        .contains(Credits.of(5, Refill.monthly(10, 1)));
    assertThat(UsageJson.credits(json("{'remaining':5,'refill':{'amount':1,'interval':'monthly','day':1}}")))
        .contains(Credits.of(5, Refill.monthly(1, 1)));
    assertThat(UsageJson.credits(json("{'remaining':5,'refill':{'amount':1000000000000,'interval':'monthly','day':31}}")))
        .contains(Credits.of(5, Refill.monthly(Credits.MAX_CREDITS, 31)));
    assertThat(UsageJson.read(json("{'credits':{'remaining':7}}")))
        .isEqualTo(new UsagePolicy(List.of(), Optional.of(Credits.of(7))));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[]|credits: expected an object {remaining, refill}",
        "5|credits: expected an object {remaining, refill}",
        "{}|credits.remaining: required, a whole number",
        "{'remaining':'5'}|credits.remaining: expected a whole number, got string",
        "{'remaining':-1}|credits.remaining: must be between 0 and 1000000000000, got -1",
        "{'remaining':1000000000001}|credits.remaining: must be between 0 and 1000000000000, got 1000000000001",
        "{'remaining':1,'refill':5}|credits.refill: expected an object {amount, interval, day}",
        "{'remaining':1,'refill':{'interval':'daily'}}|credits.refill.amount: required, a whole number",
        "{'remaining':1,'refill':{'amount':0,'interval':'daily'}}|credits.refill.amount must be between 1 and 1000000000000, was 0",
        "{'remaining':1,'refill':{'amount':1000000000001,'interval':'monthly'}}|credits.refill.amount must be between 1 and 1000000000000, was 1000000000001",
        "{'remaining':1,'refill':{'amount':1}}|credits.refill.interval: required, \"daily\" or \"monthly\"",
        "{'remaining':1,'refill':{'amount':1,'interval':null}}|credits.refill.interval: required, \"daily\" or \"monthly\"",
        "{'remaining':1,'refill':{'amount':1,'interval':7}}|credits.refill.interval: required, \"daily\" or \"monthly\"",
        "{'remaining':1,'refill':{'amount':1,'interval':'weekly'}}|credits.refill.interval: required, \"daily\" or \"monthly\"",
        "{'remaining':1,'refill':{'amount':1,'interval':'Monthly'}}|credits.refill.interval: required, \"daily\" or \"monthly\"",
        "{'remaining':1,'refill':{'amount':1,'interval':'daily','day':1}}|credits.refill.day: applies to monthly refills only",
        "{'remaining':1,'refill':{'amount':1,'interval':'monthly','day':0}}|credits.refill.day: must be between 1 and 31, got 0",
        "{'remaining':1,'refill':{'amount':1,'interval':'monthly','day':32}}|credits.refill.day: must be between 1 and 31, got 32",
        "{'remaining':1,'refill':{'amount':1,'interval':'monthly','day':'1'}}|credits.refill.day: expected a whole number, got string",
      })
  void badCreditsAreRefusedNamingTheField(String credits, String message) {
    assertThat(readRefusal("{'credits':" + credits + "}")).isEqualTo(message);
  }

  @Test
  void anUpdateSetsOnlyTheFieldsItNames() throws Exception {
    KeyUpdate none = build(json("{}"));
    assertThat(none.rateLimits()).isEmpty();
    assertThat(none.credits()).isEmpty();

    KeyUpdate cleared = build(json("{'rate_limits':null,'credits':null}"));
    assertThat(cleared.rateLimits()).contains(List.of());
    assertThat(cleared.credits()).contains(Optional.empty());

    KeyUpdate set = build(json("{'rate_limits':[{'name':'x','limit':2,'period':'PT1M'}],'credits':{'remaining':3}}"));
    assertThat(set.rateLimits()).contains(List.of(new RateLimit("x", 2, Duration.ofMinutes(1))));
    assertThat(set.credits()).contains(Optional.of(Credits.of(3)));

    KeyUpdate onlyCredits = build(json("{'credits':{'remaining':3}}"));
    assertThat(onlyCredits.rateLimits()).isEmpty();
    assertThat(onlyCredits.credits()).contains(Optional.of(Credits.of(3)));

    assertThat(refusal(() -> build(json("{'credits':{'remaining':-1}}"))))
        .isEqualTo("credits.remaining: must be between 0 and 1000000000000, got -1");
  }

  private static KeyUpdate build(JsonNode body) throws ApiKeysEndpoint.Refused {
    KeyUpdate.Builder u = KeyUpdate.builder().name("n");
    UsageJson.update(body, u);
    return u.build();
  }

  @Test
  void theOwnersLimitReadsWithADefaultName() throws Exception {
    assertThat(UsageJson.ownerLimit(json("{'rate_limit':null}"))).isEmpty();
    assertThat(UsageJson.ownerLimit(json("{'rate_limit':{'limit':5,'period':60}}")))
        .contains(new RateLimit("owner", 5, Duration.ofMinutes(1)));
    assertThat(UsageJson.ownerLimit(json("{'rate_limit':{'name':null,'limit':5,'period':'PT1H'}}")))
        .contains(new RateLimit("owner", 5, Duration.ofHours(1)));
    assertThat(UsageJson.ownerLimit(json("{'rate_limit':{'name':'team','limit':1,'period':1}}")))
        .contains(new RateLimit("team", 1, Duration.ofSeconds(1)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{}|rate_limit: required, {name, limit, period} or null",
        "{'rate_limit':[]}|rate_limit: expected an object {name, limit, period} or null",
        "{'rate_limit':3}|rate_limit: expected an object {name, limit, period} or null",
        "{'rate_limit':{'name':3,'limit':1,'period':1}}|rate_limit.name: expected a string",
        "{'rate_limit':{'period':1}}|rate_limit.limit: required, a whole number",
        "{'rate_limit':{'limit':1}}|rate_limit.period: required, an ISO-8601 duration such as PT1S, or whole seconds",
        "{'rate_limit':{'limit':0,'period':1}}|rate_limit.limit must be between 1 and 1000000000, was 0",
        "{'rate_limit':{'name':'Team','limit':1,'period':1}}|rate_limit.name must be 1 to 32 characters of a-z, 0-9, '_' or '-'",
      })
  void badOwnerLimitsAreRefusedNamingTheField(String body, String message) {
    assertThat(refusal(() -> UsageJson.ownerLimit(json(body)))).isEqualTo(message);
  }

  @Test
  void theOwnersLimitAnswerNamesTheOwner() {
    RateLimit l = new RateLimit("owner", 5, Duration.ofMinutes(1));
    assertThat(Json.bytes(UsageJson.ownerLimitAnswer(Optional.of("team-a"), BlnkPrincipal.master(), Optional.of(l))))
        .asString()
        .isEqualTo("{\"owner_id\":\"team-a\",\"rate_limit\":{\"name\":\"owner\",\"limit\":5,\"period\":\"PT1M\"}}");
    assertThat(Json.bytes(UsageJson.ownerLimitAnswer(Optional.empty(), BlnkPrincipal.master(), Optional.empty())))
        .asString()
        .isEqualTo("{\"owner_id\":null,\"rate_limit\":null}");
    try (io.blnk.auth.BlnkAuth auth = FilterSettingsTest.auth()) {
      io.blnk.auth.CreatedKey k = auth.keys().create(BlnkPrincipal.master(),
          io.blnk.auth.CreateKeyRequest.builder().name("k").owner("team-b").scopes("ledgers:read")
              .expiresAt(auth.clock().instant().plus(Duration.ofDays(1))).build()).orElseThrow();
      BlnkPrincipal caller =
          ((io.blnk.auth.AuthResult.Granted) auth.authenticate(k.plaintext().reveal(), "")).principal();
      assertThat(Json.bytes(UsageJson.ownerLimitAnswer(Optional.empty(), caller, Optional.empty())))
          .asString()
          .isEqualTo("{\"owner_id\":\"team-b\",\"rate_limit\":null}");
    }
  }

  @Test
  void usageIsWrittenWithEveryField() {
    assertThat(write(UsagePolicy.NONE)).isEqualTo("{\"rate_limits\":[],\"credits\":null}");
    assertThat(write(new UsagePolicy(
            List.of(new RateLimit("default", 100, Duration.ofSeconds(1)), new RateLimit("day", 9, Duration.ofDays(1))),
            Optional.of(Credits.of(10)))))
        .isEqualTo("{\"rate_limits\":[{\"name\":\"default\",\"limit\":100,\"period\":\"PT1S\"},"
            + "{\"name\":\"day\",\"limit\":9,\"period\":\"PT24H\"}],"
            + "\"credits\":{\"remaining\":10,\"refill\":null}}");
    assertThat(write(new UsagePolicy(List.of(), Optional.of(Credits.of(10, Refill.monthly(10000, 15))))))
        .isEqualTo("{\"rate_limits\":[],\"credits\":{\"remaining\":10,"
            + "\"refill\":{\"amount\":10000,\"interval\":\"monthly\",\"day\":15}}}");
    assertThat(write(new UsagePolicy(List.of(), Optional.of(Credits.of(0, Refill.daily(3))))))
        .isEqualTo("{\"rate_limits\":[],\"credits\":{\"remaining\":0,"
            + "\"refill\":{\"amount\":3,\"interval\":\"daily\"}}}");
  }

  @Test
  void whatIsWrittenReadsBackTheSame() throws Exception {
    UsagePolicy p = new UsagePolicy(
        List.of(new RateLimit("a", 3, Duration.ofMinutes(5))), Optional.of(Credits.of(4, Refill.monthly(9, 28))));
    assertThat(UsageJson.read(json(write(p)))).isEqualTo(p);
    assertThatThrownBy(() -> UsageJson.read(json("{'credits':{'remaining':1,'refill':{'amount':1,'interval':'daily','day':2}}}")))
        .hasMessage("credits.refill.day: applies to monthly refills only");
  }
}
