package io.blnk.auth.jdbc;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.Refill;
import io.blnk.auth.usage.UsagePolicy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A key's usage policy in its row's three columns (migration V4): {@code rate_limits} ({@code
 * name:limit:seconds} joined by {@code ,}), {@code usage_id} (whose balance, when not the key's
 * own) and {@code credits} (the refill; the balance lives in {@code <table>_credits}). A key read
 * back carries {@code remaining = 0}: the key service fills in the balance for responses.
 */
final class UsageColumns {

  private UsageColumns() {}

  /** The {@code rate_limits} column's text, or null for none. */
  static String rateLimitsText(UsagePolicy usage) {
    if (usage.rateLimits().isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (RateLimit l : usage.rateLimits()) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(l.name()).append(':').append(l.limit()).append(':').append(l.periodSeconds());
    }
    return out.toString();
  }

  /** The {@code credits} column's text, or null for none. */
  static String creditsText(UsagePolicy usage) {
    return usage.credits().map(c -> refillText(c.refill())).orElse(null);
  }

  /** Binds {@code rate_limits, usage_id, credits} from {@code index}. */
  static void bind(PreparedStatement ps, int index, UsagePolicy usage) throws SQLException {
    String limits = rateLimitsText(usage);
    if (limits == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, limits);
    }
    if (usage.sharedWith().isPresent()) {
      ps.setString(index + 1, usage.sharedWith().get().value());
    } else {
      ps.setNull(index + 1, Types.VARCHAR);
    }
    if (usage.credits().isEmpty()) {
      ps.setNull(index + 2, Types.VARCHAR);
    } else {
      ps.setString(index + 2, refillText(usage.credits().get().refill()));
    }
  }

  static String refillText(Optional<Refill> refill) {
    if (refill.isEmpty()) {
      return "-";
    }
    Refill r = refill.get();
    return r.interval() == Refill.Interval.DAILY
        ? "daily:" + r.amount()
        : "monthly:" + r.amount() + ":" + r.day();
  }

  /** The policy in a row read with the public columns. */
  static UsagePolicy read(ResultSet rs) throws SQLException {
    String limits = rs.getString("rate_limits");
    String usageId = rs.getString("usage_id");
    String credits = rs.getString("credits");
    if (limits == null && usageId == null && credits == null) {
      return UsagePolicy.NONE;
    }
    List<RateLimit> parsed = new ArrayList<>();
    if (limits != null && !limits.isEmpty()) {
      for (String one : limits.split(",")) {
        String[] p = one.split(":");
        parsed.add(new RateLimit(p[0], Long.parseLong(p[1]), Duration.ofSeconds(Long.parseLong(p[2]))));
      }
    }
    Optional<Credits> c = Optional.empty();
    if (credits != null) {
      Optional<Refill> refill = Optional.empty();
      if (!credits.equals("-")) {
        String[] p = credits.split(":");
        refill =
            Optional.of(
                p[0].equals("daily")
                    ? Refill.daily(Long.parseLong(p[1]))
                    : Refill.monthly(Long.parseLong(p[1]), Integer.parseInt(p[2])));
      }
      c = Optional.of(new Credits(0, refill));
    }
    return new UsagePolicy(
        parsed, c, usageId == null ? Optional.empty() : Optional.of(new ApiKeyId(usageId)));
  }
}
