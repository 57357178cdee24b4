package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5: other nodes learn of revocations through the store's feed. Here the "other node"
 * revokes straight in the store, and the test plays the feed's messages by hand.
 */
final class RevocationFeedTest {

  private static final AuthResult REVOKED = AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY);

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private CreatedKey cachedKey() {
    CreatedKey key = f.create("ledgers:read");
    assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
    return key;
  }

  @Test
  void aRevocationArrivingThroughTheFeedRefusesACachedKey() {
    CreatedKey key = cachedKey();
    f.store.feedMuted = true;
    f.store.revoke(key.apiKey().id(), f.clock.instant());
    // Until the feed delivers, the cache may still answer (bounded by the feed's delay) ...
    assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();

    f.store.subscriber.keyChanged(key.apiKey().id());

    assertThat(f.auth.authenticate(key.plaintext().reveal(), "")).isEqualTo(REVOKED);
  }

  @Test
  void anInterruptedFeedDropsEveryCachedKey() {
    CreatedKey revokedElsewhere = cachedKey();
    CreatedKey untouched = cachedKey();
    f.store.feedMuted = true;
    f.store.revoke(revokedElsewhere.apiKey().id(), f.clock.instant());

    f.store.subscriber.changesMayHaveBeenMissed();

    assertThat(f.auth.authenticate(revokedElsewhere.plaintext().reveal(), "")).isEqualTo(REVOKED);
    assertThat(f.auth.authenticate(untouched.plaintext().reveal(), "").granted()).isTrue();
  }

  @Test
  void aFeedMessageForAnotherKeyLeavesACachedKeyAlone() {
    CreatedKey key = cachedKey();
    CreatedKey other = f.create("ledgers:read");
    int lookups = f.store.lookups.get();

    f.store.subscriber.keyChanged(other.apiKey().id());

    assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
    assertThat(f.store.lookups).hasValue(lookups);
  }
}
