package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 9.7: a flood of refused requests cannot fill the log. 100,000 refusals of five kinds from
 * a few sources, through {@link BlnkAuth} with the default slf4j listener, captured from
 * slf4j-simple (System.err). The clock is moved by hand: 1 ms per request.
 */
final class RefusalFloodTest {

  private static final int REQUESTS = 100_000;

  @Test
  void aHundredThousandRefusalsWriteLessThan100KbAndTheFirstOfEachKindAtOnce() {
    List<AuthEvent> delivered = new CopyOnWriteArrayList<>();
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<String> secrets;
    Map<ErrorCode, Integer> sent = new EnumMap<>(ErrorCode.class);
    try (Fixture f =
        Fixture.withListener(
            AuthListener.slf4j().and(delivered::add),
            b -> b.failureThrottle(3, Duration.ofMinutes(1)))) {
      CreatedKey real = f.create("team-a", Duration.ofDays(30), "ledgers:read");
      CreatedKey revoked = f.create("team-a", Duration.ofDays(30), "ledgers:read");
      f.auth.keys().revoke(BlnkPrincipal.master(), revoked.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
      String plaintext = real.plaintext().reveal();
      String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
      String wrong = Fixture.wrongSecret(plaintext, 1);
      secrets =
          List.of(
              plaintext,
              unknown,
              wrong,
              revoked.plaintext().reveal(),
              real.plaintext().lookupId(),
              revoked.plaintext().lookupId(),
              unknown.substring(5, 21));

      // The first refusal of each kind is in the log before the flood goes on.
      f.auth.authenticate("", "198.51.100.1");
      assertThat(logOf(captured)).contains("AUTH_FAILED code=AUTH_MISSING_API_KEY key=- owner=- remote=198.51.100.1");
      f.auth.authenticate(revoked.plaintext().reveal(), "198.51.100.2");
      assertThat(logOf(captured)).contains("AUTH_FAILED code=AUTH_EXPIRED_API_KEY key=blnk_");
      f.auth.authenticate(unknown, "198.51.100.3");
      assertThat(logOf(captured)).contains("AUTH_FAILED code=AUTH_INVALID_API_KEY key=blnk_");
      f.auth.authenticate("blnk_not-a-key", "198.51.100.4");
      assertThat(logOf(captured)).contains("code=AUTH_INVALID_API_KEY key=- owner=- remote=198.51.100.4");
      for (int i = 0; i < 4; i++) {
        f.auth.authenticate(wrong, "198.51.100.5");
      }
      assertThat(logOf(captured)).contains("AUTH_FAILED code=GEN_RATE_LIMITED");
      int before = captured.size();

      for (int i = 8; i < REQUESTS; i++) {
        f.clock.advance(Duration.ofMillis(1));
        switch (i % 5) {
          case 0 -> f.auth.authenticate("", "198.51.100.1");
          case 1 -> f.auth.authenticate(revoked.plaintext().reveal(), "198.51.100.2");
          case 2 -> f.auth.authenticate(unknown, "198.51.100.3");
          case 3 -> f.auth.authenticate("blnk_not-a-key", "198.51.100.4");
          default -> f.auth.authenticate(wrong, "198.51.100.5");
        }
        if (i % 10_000 == 0) {
          f.auth.flushEndedRefusals(); // what the background thread does every interval
        }
      }
      assertThat(captured.size() - before).as("the flood itself, before close").isLessThan(100 * 1024);
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log.getBytes(StandardCharsets.UTF_8).length).isLessThan(100 * 1024);
    assertThat(log).contains("repeated ").contains(" times in PT10S");
    // Nothing is lost: the counts of what the listener got add up to every refusal.
    long refusals =
        delivered.stream()
            .filter(e -> e.type() == AuthEvent.Type.AUTH_FAILED || e.type() == AuthEvent.Type.PERMISSION_DENIED)
            .mapToLong(AuthEvent::count)
            .sum();
    assertThat(refusals).isEqualTo(REQUESTS);
    // Aggregated lines carry the code and the source, never a key, a lookup id or an owner.
    assertThat(delivered)
        .filteredOn(e -> e.count() > 1)
        .isNotEmpty()
        .allSatisfy(
            e -> {
              assertThat(e.keyHint()).isEmpty();
              assertThat(e.apiKeyId()).isEmpty();
              assertThat(e.ownerId()).isEmpty();
              assertThat(e.code()).isPresent();
              assertThat(e.remoteAddress()).startsWith("198.51.100.");
            });
    for (String secret : secrets) {
      assertThat(log).doesNotContain(secret);
    }
  }

  /** Denials of an authenticated key are aggregated the same way (per code and source). */
  @Test
  void permissionDenialsAreAggregatedPerCodeAndSource() {
    List<AuthEvent> delivered = new CopyOnWriteArrayList<>();
    try (Fixture f = Fixture.withListener(delivered::add, b -> b)) {
      CreatedKey k = f.create("team-a", Duration.ofDays(30), "ledgers:read");
      for (int i = 0; i < 1_000; i++) {
        f.clock.advance(Duration.ofMillis(5));
        f.auth.decide(k.plaintext().reveal(), f.resource("balances"), "GET", "198.51.100.2");
        f.auth.decide(k.plaintext().reveal(), f.resource("hooks"), "GET", "198.51.100.2");
      }
    }
    List<AuthEvent> denials =
        delivered.stream().filter(e -> e.type() == AuthEvent.Type.PERMISSION_DENIED).toList();
    assertThat(denials.get(0).code()).contains(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS);
    assertThat(denials.get(0).apiKeyId()).isPresent();
    assertThat(denials.get(1).code()).contains(ErrorCode.AUTH_MASTER_KEY_REQUIRED);
    assertThat(denials).hasSizeLessThanOrEqualTo(6);
    assertThat(denials.stream().mapToLong(AuthEvent::count).sum()).isEqualTo(2_000);
  }

  @Test
  void aQuietSourceHasEachRefusalLoggedAsItself() {
    List<AuthEvent> delivered = new CopyOnWriteArrayList<>();
    try (Fixture f = Fixture.withListener(delivered::add, b -> b)) {
      for (int i = 0; i < 5; i++) {
        f.auth.authenticate("", "203.0.113.9");
        f.clock.advance(Duration.ofSeconds(11));
      }
    }
    assertThat(delivered).hasSize(5).allSatisfy(e -> assertThat(e.count()).isEqualTo(1));
  }

  @Test
  void manySourcesShareOneWindowBeyondTheTrackedNumber() {
    List<AuthEvent> delivered = new CopyOnWriteArrayList<>();
    int sources = EventSink.MAX_SOURCES + 500;
    try (Fixture f = Fixture.withListener(delivered::add, b -> b)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < sources; i++) {
          f.auth.authenticate("", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
      }
    }
    assertThat(delivered.stream().mapToLong(AuthEvent::count).sum()).isEqualTo(3L * sources);
    assertThat(delivered).hasSizeLessThanOrEqualTo(2 * EventSink.MAX_SOURCES + 2);
    assertThat(delivered).anySatisfy(e -> assertThat(e.remoteAddress()).isEqualTo(EventSink.OTHER_SOURCES));
  }

  @Test
  void aggregationCanBeTurnedOff() {
    List<AuthEvent> delivered = new CopyOnWriteArrayList<>();
    try (Fixture f = Fixture.withListener(delivered::add, b -> b.aggregateRefusals(Duration.ZERO))) {
      for (int i = 0; i < 50; i++) {
        f.auth.authenticate("", "203.0.113.9");
      }
    }
    assertThat(delivered).hasSize(50);
  }

  private static String logOf(ByteArrayOutputStream captured) {
    return captured.toString(StandardCharsets.UTF_8);
  }
}
