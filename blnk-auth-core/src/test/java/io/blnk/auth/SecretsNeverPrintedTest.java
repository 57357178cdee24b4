package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.StoredKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SPEC §3: no secret in any toString or exception message. */
final class SecretsNeverPrintedTest {

  @Test
  void noValueHoldingASecretPrintsIt() {
    try (Fixture f = new Fixture()) {
      CreatedKey created = f.create("ledgers:read");
      String plaintext = created.plaintext().reveal();
      StoredKey stored = f.store.stored(created.plaintext().lookupId());
      BlnkPrincipal principal = f.principal(created);

      for (Object value : new Object[] {created, created.plaintext(), created.apiKey(), stored, principal,
          f.auth, f.auth.authenticate(plaintext, "")}) {
        assertThat(value.toString())
            .as(value.getClass().getSimpleName())
            .doesNotContain(plaintext)
            .doesNotContain(plaintext.substring(13))
            .doesNotContain(stored.keyHash())
            .doesNotContain(Fixture.MASTER);
      }
      assertThat(stored.toString()).contains("keyHash=redacted");
      assertThat(created.toString()).contains(created.plaintext().displayPrefix());
    }
  }

  @Test
  void theHmacHasherDoesNotPrintItsPepper() {
    byte[] pepper = "0123456789abcdef0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    assertThat(KeyHasher.hmacSha256(pepper).toString()).doesNotContain("0123456789");
  }

  @Test
  void theCacheKeyIsADigestThatPrintsNothing() {
    assertThat(KeyDigest.of("blnk_secret".getBytes(StandardCharsets.UTF_8)).toString())
        .isEqualTo("KeyDigest[redacted]");
  }

  @Test
  void refusalsDoNotEchoAPresentedKey() {
    try (Fixture f = new Fixture()) {
      String plaintext = f.create("ledgers:read").plaintext().reveal();

      AuthResult result = f.auth.authenticate(Fixture.wrongSecret(plaintext, 1), "");
      KeyOutcome<?> refused = f.auth.keys().revoke(BlnkPrincipal.master(), plaintext, KeyQuery.anyOwner());

      assertThat(result.toString()).doesNotContain(plaintext.substring(13));
      assertThat(refused).isEqualTo(KeyOutcome.refused(ErrorCode.APIKEY_NOT_FOUND, "API key not found"));
      assertThat(refused.toString()).doesNotContain(plaintext).doesNotContain(plaintext.substring(13));
    }
  }
}
