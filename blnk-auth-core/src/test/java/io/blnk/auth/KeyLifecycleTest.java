package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.RotateResult;
import io.blnk.auth.store.StoredKey;
import io.blnk.auth.testing.ForwardingKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How the key service maps the store's lifecycle outcomes: a revocation racing a rotation leaves
 * no working successor, re-revoking emits no second event, and the per-owner limit answers 409
 * naming the limit.
 */
final class KeyLifecycleTest {

  private final List<AuthEvent> events = new CopyOnWriteArrayList<>();

  @Test
  void reRevokingEmitsNoSecondRevokedEvent() {
    try (Fixture f = Fixture.withListener(events::add, b -> b)) {
      String id = f.create("ledgers:read").apiKey().id().value();

      f.auth.keys().revoke(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
      ApiKey again = f.auth.keys().revoke(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();

      assertThat(again.revoked()).isTrue();
      assertThat(events).filteredOn(e -> e.type() == AuthEvent.Type.KEY_REVOKED).hasSize(1);
    }
  }

  @Test
  void aRevocationLandingBetweenTheChecksAndTheRotationLeavesNoSuccessor() {
    RevokingOnRotate store = new RevokingOnRotate();
    try (Fixture f = new Fixture(new CountingKeyStore(store), new CountingHasher(), b -> b)) {
      CreatedKey key = f.create("ledgers:read");
      String plaintext = key.plaintext().reveal();
      assertThat(f.auth.authenticate(plaintext, "").granted()).isTrue();

      assertThat(f.auth.keys().rotate(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()))
          .isEqualTo(
              KeyOutcome.refused(
                  ErrorCode.APIKEY_INVALID,
                  "api_key_id: " + key.apiKey().id() + " is revoked or expired and cannot be rotated"));

      assertThat(f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-a")).orElseThrow())
          .as("no successor was stored")
          .hasSize(1);
      AuthResult r = f.auth.authenticate(plaintext, "");
      assertThat(((AuthResult.Denied) r).code()).isEqualTo(ErrorCode.AUTH_EXPIRED_API_KEY);
    }
  }

  @Test
  void anOwnerAtItsLimitGets409NamingTheLimit() {
    try (Fixture f = new Fixture(b -> b.maxActiveKeysPerOwner(2))) {
      f.create("ledgers:read");
      CreatedKey second = f.create("ledgers:read");

      assertThat(f.tryCreate("team-a", Duration.ofDays(1), "ledgers:read"))
          .isEqualTo(
              KeyOutcome.refused(
                  ErrorCode.APIKEY_LIMIT_EXCEEDED,
                  "Owner has reached the limit of 2 active API keys: revoke keys it no longer uses"
                      + " before creating more"));
      assertThat(ErrorCode.APIKEY_LIMIT_EXCEEDED.httpStatus()).isEqualTo(409);
      f.create("team-b", Duration.ofDays(1), "ledgers:read");

      f.auth.keys().revoke(BlnkPrincipal.master(), second.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
      assertThat(f.create("ledgers:read").apiKey().ownerId()).isEqualTo(OwnerId.of("team-a"));
    }
  }

  @Test
  void theOwnerLimitMustBeAtLeastOne() {
    assertThatThrownBy(() -> BlnkAuth.builder().maxActiveKeysPerOwner(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxActiveKeysPerOwner");
  }

  /** An in-memory store where a revocation of the old key lands just before every rotation. */
  private static final class RevokingOnRotate extends ForwardingKeyStore {
    RevokingOnRotate() {
      super(KeyStore.inMemory());
    }

    @Override
    public RotateResult rotate(
        StoredKey replacement, ApiKeyId old, Instant notAfter, Instant now, int max) {
      delegate().revoke(old, now); // another node's revocation, committed first
      return super.rotate(replacement, old, notAfter, now, max);
    }
  }
}
