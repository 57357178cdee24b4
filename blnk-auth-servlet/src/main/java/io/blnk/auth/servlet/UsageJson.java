package io.blnk.auth.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsagePolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A key's {@code rate_limits} and {@code credits} in JSON, both ways:
 *
 * <pre>
 * "rate_limits": [{"name": "default", "limit": 100, "period": "PT1S"}],
 * "credits": {"remaining": 10000, "refill": {"amount": 10000, "interval": "monthly", "day": 1}}
 * </pre>
 *
 * A period is an ISO-8601 duration or whole seconds. Every refusal names the field, e.g. {@code
 * rate_limits[0].period}.
 */
final class UsageJson {

  private UsageJson() {}

  /** The policy a create request asks for ({@link UsagePolicy#NONE} when it names neither). */
  static UsagePolicy read(JsonNode body) throws ApiKeysEndpoint.Refused {
    return new UsagePolicy(rateLimits(body.get("rate_limits")).orElse(List.of()), credits(body.get("credits")));
  }

  /**
   * A PATCH's usage fields: {@code rate_limits} replaces the limits ({@code []} or {@code null}
   * removes them); {@code credits} sets a new balance ({@code null} removes the credits).
   */
  static void update(JsonNode body, io.blnk.auth.KeyUpdate.Builder u) throws ApiKeysEndpoint.Refused {
    if (body.has("rate_limits")) {
      u.rateLimits(rateLimits(body.get("rate_limits")).orElse(List.of()));
    }
    if (body.has("credits")) {
      u.credits(credits(body.get("credits")));
    }
  }

  /** {@code rate_limits} if given: empty when absent or null. */
  static Optional<List<RateLimit>> rateLimits(JsonNode node) throws ApiKeysEndpoint.Refused {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isArray()) {
      throw invalid("rate_limits: expected an array of {name, limit, period}");
    }
    if (node.size() > UsagePolicy.MAX_RATE_LIMITS) {
      throw invalid("rate_limits: at most " + UsagePolicy.MAX_RATE_LIMITS + " limits, got " + node.size());
    }
    List<RateLimit> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String field = "rate_limits[" + i + "]";
      JsonNode item = node.get(i);
      if (!item.isObject()) {
        throw invalid(field + ": expected an object {name, limit, period}");
      }
      JsonNode name = item.get("name");
      if (name == null || !name.isTextual()) {
        throw invalid(field + ".name: required, a string");
      }
      long limit = whole(item.get("limit"), field + ".limit");
      Duration period = duration(item.get("period"), field + ".period");
      try {
        out.add(new RateLimit(name.textValue(), limit, period));
      } catch (IllegalArgumentException e) {
        throw invalid(field + "." + e.getMessage());
      }
    }
    try {
      new UsagePolicy(out, Optional.empty());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    return Optional.of(out);
  }

  /** {@code credits} if given: empty when absent or null. */
  static Optional<Credits> credits(JsonNode node) throws ApiKeysEndpoint.Refused {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw invalid("credits: expected an object {remaining, refill}");
    }
    long remaining = whole(node.get("remaining"), "credits.remaining");
    if (remaining < 0 || remaining > Credits.MAX_CREDITS) {
      throw invalid("credits.remaining: must be between 0 and " + Credits.MAX_CREDITS + ", got " + remaining);
    }
    JsonNode r = node.get("refill");
    if (r == null || r.isNull()) {
      return Optional.of(Credits.of(remaining));
    }
    if (!r.isObject()) {
      throw invalid("credits.refill: expected an object {amount, interval, day}");
    }
    long amount = whole(r.get("amount"), "credits.refill.amount");
    JsonNode interval = r.get("interval");
    if (interval == null || !interval.isTextual()
        || !(interval.textValue().equals("daily") || interval.textValue().equals("monthly"))) {
      throw invalid("credits.refill.interval: required, \"daily\" or \"monthly\"");
    }
    boolean monthly = interval.textValue().equals("monthly");
    JsonNode dayNode = r.get("day");
    int day = 0;
    if (dayNode != null && !dayNode.isNull()) {
      long d = whole(dayNode, "credits.refill.day");
      if (!monthly) {
        throw invalid("credits.refill.day: applies to monthly refills only");
      }
      if (d < 1 || d > 31) {
        throw invalid("credits.refill.day: must be between 1 and 31, got " + d);
      }
      day = (int) d;
    } else if (monthly) {
      day = 1;
    }
    try {
      return Optional.of(Credits.of(remaining, new Refill(amount, monthly ? Refill.Interval.MONTHLY : Refill.Interval.DAILY, day)));
    } catch (IllegalArgumentException e) {
      throw invalid("credits.refill." + e.getMessage());
    }
  }

  /** A PUT's {@code rate_limit}: {@code {name, limit, period}}, or {@code null} to clear it. */
  static Optional<RateLimit> ownerLimit(JsonNode body) throws ApiKeysEndpoint.Refused {
    if (!body.has("rate_limit")) {
      throw invalid("rate_limit: required, {name, limit, period} or null");
    }
    JsonNode n = body.get("rate_limit");
    if (n.isNull()) {
      return Optional.empty();
    }
    if (!n.isObject()) {
      throw invalid("rate_limit: expected an object {name, limit, period} or null");
    }
    JsonNode name = n.get("name");
    String text = name == null || name.isNull() ? "owner" : name.isTextual() ? name.textValue() : null;
    if (text == null) {
      throw invalid("rate_limit.name: expected a string");
    }
    long limit = whole(n.get("limit"), "rate_limit.limit");
    Duration period = duration(n.get("period"), "rate_limit.period");
    try {
      return Optional.of(new RateLimit(text, limit, period));
    } catch (IllegalArgumentException e) {
      throw invalid("rate_limit." + e.getMessage());
    }
  }

  /** {@code {"owner_id": ..., "rate_limit": {...} | null}}. */
  static Map<String, Object> ownerLimitAnswer(
      Optional<String> owner, io.blnk.auth.BlnkPrincipal caller, Optional<RateLimit> limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("owner_id", owner.orElseGet(() -> caller.ownerId().map(o -> o.value()).orElse(null)));
    m.put("rate_limit", limit.map(UsageJson::limitJson).orElse(null));
    return m;
  }

  private static Map<String, Object> limitJson(RateLimit l) {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("name", l.name());
    one.put("limit", l.limit());
    one.put("period", l.period().toString());
    return one;
  }

  /** Adds {@code rate_limits} and {@code credits} to a key's answer. */
  static void put(Map<String, Object> m, UsagePolicy usage) {
    List<Map<String, Object>> limits = new ArrayList<>();
    for (RateLimit l : usage.rateLimits()) {
      limits.add(limitJson(l));
    }
    m.put("rate_limits", limits);
    if (usage.credits().isEmpty()) {
      m.put("credits", null);
      return;
    }
    Credits c = usage.credits().get();
    Map<String, Object> credits = new LinkedHashMap<>();
    credits.put("remaining", c.remaining());
    if (c.refill().isPresent()) {
      Refill r = c.refill().get();
      Map<String, Object> refill = new LinkedHashMap<>();
      refill.put("amount", r.amount());
      refill.put("interval", r.interval().token());
      if (r.interval() == Refill.Interval.MONTHLY) {
        refill.put("day", r.day());
      }
      credits.put("refill", refill);
    } else {
      credits.put("refill", null);
    }
    m.put("credits", credits);
  }

  private static long whole(JsonNode v, String field) throws ApiKeysEndpoint.Refused {
    if (v == null || v.isNull()) {
      throw invalid(field + ": required, a whole number");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw invalid(field + ": expected a whole number, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return v.longValue();
  }

  private static Duration duration(JsonNode v, String field) throws ApiKeysEndpoint.Refused {
    if (v == null || v.isNull()) {
      throw invalid(field + ": required, an ISO-8601 duration such as PT1S, or whole seconds");
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return Duration.ofSeconds(v.longValue());
    }
    if (v.isTextual()) {
      try {
        return Duration.parse(v.textValue());
      } catch (DateTimeParseException e) {
        throw invalid(field + ": " + Text.quote(v.textValue()) + " is not an ISO-8601 duration such as PT1S");
      }
    }
    throw invalid(field + ": expected an ISO-8601 duration string or whole seconds");
  }

  private static ApiKeysEndpoint.Refused invalid(String message) {
    return new ApiKeysEndpoint.Refused(ErrorCode.APIKEY_INVALID, message);
  }
}
