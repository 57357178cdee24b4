package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.store.StoredKey;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A key stored before digests existed (no {@code key_digest}) is still found by a leak report, by
 * its lookup id and one hash verification, and gets its digest recorded; a token with the same
 * lookup id but another secret finds nothing and changes nothing.
 */
final class LegacyLeakReportTest {

  @Test
  void aKeyWithoutADigestIsFoundByLookupIdAndVerificationOnly() {
    try (Fixture minting = new Fixture();
        Fixture f = new Fixture()) {
      CreatedKey key = minting.create("ledgers:read");
      String lookupId = key.plaintext().lookupId();
      StoredKey stored = minting.store.stored(lookupId);
      StoredKey legacy = new StoredKey(stored.key(), stored.lookupId(), stored.keyHash());
      assertThat(legacy.keyDigest()).isEmpty();
      assertThat(f.store.insert(legacy)).isTrue();
      String id = key.apiKey().id().value();

      LeakReport wrong =
          f.auth.keys().reportLeaked(Fixture.wrongSecret(key.plaintext().reveal(), 5), LeakAction.REVOKE, "github");
      assertThat(wrong).isEqualTo(new LeakReport(Optional.empty(), false));
      assertThat(f.auth.keys().get(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow().revoked()).isFalse();
      assertThat(f.store.stored(lookupId).keyDigest()).isEmpty();

      LeakReport report = f.auth.keys().reportLeaked(key.plaintext().reveal(), LeakAction.REVOKE, "github");

      assertThat(report.found()).isTrue();
      assertThat(report.actionTaken()).isTrue();
      assertThat(report.key().orElseThrow().revoked()).isTrue();
      assertThat(f.store.stored(lookupId).keyDigest()).isEqualTo(stored.keyDigest());
      assertThat(f.auth.authenticate(key.plaintext().reveal(), ""))
          .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
    }
  }

  @Test
  void aKeyWithoutADigestGetsItsDigestOnItsFirstAuthentication() {
    try (Fixture minting = new Fixture();
        Fixture f = new Fixture()) {
      CreatedKey key = minting.create("ledgers:read");
      String lookupId = key.plaintext().lookupId();
      StoredKey stored = minting.store.stored(lookupId);
      assertThat(f.store.insert(new StoredKey(stored.key(), stored.lookupId(), stored.keyHash()))).isTrue();

      assertThat(f.auth.authenticate(key.plaintext().reveal(), "")).isInstanceOf(AuthResult.Granted.class);

      assertThat(f.store.stored(lookupId).keyDigest()).isEqualTo(stored.keyDigest()).isPresent();
    }
  }
}
