package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.StoredKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 and §8: a full key life cycle, logged by the default slf4j listener at DEBUG
 * (slf4j-simple writes to System.err, captured here), shows the events and never a secret.
 */
final class LogRedactionTest {

  @Test
  void aFullLifeCycleLogsItsEventsAndNoSecret() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> secrets = new ArrayList<>();
    String createdId;
    String rotatedId;
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setErr(capture);
    try (Fixture f =
        Fixture.withListener(
            new CountingKeyStore(),
            new CountingHasher(KeyHasher.argon2id(64, 1, 1)),
            AuthListener.slf4j(),
            b -> b.failureThrottle(2, Duration.ofMinutes(1)))) {
      CreatedKey key = f.create("team-a", Duration.ofDays(1), "ledgers:read");
      String plaintext = key.plaintext().reveal();
      createdId = key.apiKey().id().value();
      StoredKey stored = f.store.stored(key.plaintext().lookupId());
      secrets.add(plaintext);
      secrets.add(plaintext.substring(5)); // the key without its prefix
      secrets.add(key.plaintext().lookupId());
      secrets.add(stored.keyHash());
      secrets.add(stored.keyHash().substring(stored.keyHash().lastIndexOf('$') + 1));
      secrets.add(Fixture.MASTER);
      String wrong = Fixture.wrongSecret(plaintext, 1);
      secrets.add(wrong);
      secrets.add(wrong.substring(21)); // its secret part
      String malformed = plaintext.substring(0, 30) + "!!" + plaintext.substring(32);
      secrets.add(malformed);

      assertThat(f.auth.decide(plaintext, f.resource("ledgers"), "GET", "192.0.2.7").granted()).isTrue();
      assertThat(f.auth.decide(plaintext, f.resource("ledgers"), "POST", "192.0.2.7").granted()).isFalse();
      assertThat(f.auth.authenticate(wrong, "192.0.2.8").granted()).isFalse();
      assertThat(f.auth.authenticate(Fixture.wrongSecret(plaintext, 2), "192.0.2.8").granted()).isFalse();
      assertThat(f.auth.authenticate(Fixture.wrongSecret(plaintext, 3), "192.0.2.8")) // throttled
          .isEqualTo(AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofMinutes(1)));
      assertThat(f.auth.authenticate(malformed, "192.0.2.9").granted()).isFalse();
      assertThat(f.auth.authenticate(Fixture.MASTER, "192.0.2.10").granted()).isTrue();

      CreatedKey rotated = f.auth.keys().rotate(BlnkPrincipal.master(), createdId, KeyQuery.anyOwner(), Duration.ofHours(1)).orElseThrow();
      rotatedId = rotated.apiKey().id().value();
      secrets.add(rotated.plaintext().reveal());
      secrets.add(rotated.plaintext().lookupId());
      secrets.add(f.store.stored(rotated.plaintext().lookupId()).keyHash());
      f.auth.keys().revoke(BlnkPrincipal.master(), createdId, KeyQuery.anyOwner()).orElseThrow();
      assertThat(f.auth.authenticate(plaintext, "192.0.2.7").granted()).isFalse();

      f.store.unavailable = true;
      assertThat(((AuthResult.Denied) f.auth.authenticate(rotated.plaintext().reveal(), "192.0.2.11")).code())
          .isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
      f.store.unavailable = false;
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    // The capture saw the events ...
    assertThat(log)
        .contains("KEY_CREATED key=" + createdId + " owner=team-a by=master")
        .contains("AUTH_SUCCEEDED key=" + createdId + " owner=team-a remote=192.0.2.7")
        .contains("PERMISSION_DENIED code=AUTH_INSUFFICIENT_PERMISSIONS key=" + createdId)
        .contains("Insufficient permissions for ledgers:write")
        .contains("AUTH_FAILED code=AUTH_INVALID_API_KEY key=blnk_")
        .contains("remote=192.0.2.8")
        .contains("AUTH_FAILED code=GEN_RATE_LIMITED")
        .contains("AUTH_FAILED code=AUTH_INVALID_API_KEY key=- owner=- remote=192.0.2.9")
        .contains("AUTH_SUCCEEDED key=master")
        .contains("KEY_ROTATED key=" + createdId + " owner=team-a new=" + rotatedId)
        .contains("KEY_REVOKED key=" + createdId)
        .contains("AUTH_FAILED code=AUTH_EXPIRED_API_KEY")
        .contains("AUTH_FAILED code=AUTH_STORE_UNAVAILABLE")
        .contains("key store unavailable");
    // ... and no secret.
    for (String secret : secrets) {
      assertThat(log).as("the log must not contain a secret").doesNotContain(secret);
    }
  }
}
