package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import io.blnk.auth.store.UpdateResult;
import io.blnk.auth.testing.ForwardingKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A key revoked on another node between this node's read and its write: the store refuses the
 * write under its lock (not active), and this node must then refuse the key it still holds in its
 * cache, even though the feed has said nothing yet.
 */
final class RaceInvalidationTest {

  private static final AuthResult REVOKED = AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY);

  /** An in-memory store that runs a one-shot action just before the next rotate or update. */
  private static final class RacingStore extends ForwardingKeyStore {
    final KeyStore inner;
    final AtomicReference<Runnable> beforeWrite = new AtomicReference<>();

    RacingStore() {
      this(KeyStore.inMemory());
    }

    private RacingStore(KeyStore inner) {
      super(inner);
      this.inner = inner;
    }

    private void race() {
      Runnable r = beforeWrite.getAndSet(null);
      if (r != null) {
        r.run();
      }
    }

    @Override
    public RotateResult rotate(StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int max) {
      race();
      return super.rotate(replacement, old, notAfter, now, max);
    }

    @Override
    public UpdateResult update(ApiKey expected, ApiKey replacement, Instant now) {
      race();
      return super.update(expected, replacement, now);
    }
  }

  private static void assertInvalid(Supplier<KeyOutcome<?>> call, String message) {
    assertThat(call.get())
        .isEqualTo(new KeyOutcome.Refused<>(ErrorCode.APIKEY_INVALID, message));
  }

  private static void withRevokedInTheRace(java.util.function.BiConsumer<Fixture, CreatedKey> act) {
    RacingStore racing = new RacingStore();
    try (Fixture f = new Fixture(new CountingKeyStore(racing), new CountingHasher(), b -> b)) {
      CreatedKey key = f.create("ledgers:read");
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
      f.store.feedMuted = true;
      racing.beforeWrite.set(() -> racing.inner.revoke(key.apiKey().id(), f.clock.instant()));

      act.accept(f, key);

      assertThat(racing.beforeWrite.get()).as("the race ran").isNull();
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "")).isEqualTo(REVOKED);
    }
  }

  @Test
  void aRotationRefusedBecauseTheKeyWasRevokedMeanwhileRefusesTheCachedKey() {
    withRevokedInTheRace(
        (f, key) ->
            assertInvalid(
                () ->
                    f.auth.keys()
                        .rotate(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner(), Duration.ZERO),
                "api_key_id: " + key.apiKey().id().value() + " is revoked or expired and cannot be rotated"));
  }

  @Test
  void aDisableRefusedBecauseTheKeyWasRevokedMeanwhileRefusesTheCachedKey() {
    withRevokedInTheRace(
        (f, key) ->
            assertInvalid(
                () -> f.auth.keys().disable(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()),
                "api_key_id: " + key.apiKey().id().value() + " is revoked or expired and cannot be disabled"));
  }

  @Test
  void anUpdateRefusedBecauseTheKeyWasRevokedMeanwhileRefusesTheCachedKey() {
    withRevokedInTheRace(
        (f, key) ->
            assertInvalid(
                () ->
                    f.auth.keys()
                        .update(
                            BlnkPrincipal.master(),
                            key.apiKey().id().value(),
                            KeyQuery.anyOwner(),
                            KeyUpdate.builder().name("renamed").build()),
                "api_key_id: " + key.apiKey().id().value() + " is revoked or expired and cannot be updated"));
  }
}
