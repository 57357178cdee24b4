package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.StoredKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A revocation or rotation made on this node refuses the cached key at once, on a store whose change
 * feed says nothing (muted here: a feed is late, lost, or absent on some stores); and a stored hash
 * that no hasher can parse refuses the key instead of failing the request. Written to kill the
 * mutants PIT left alive on these security lines (README, Contributing).
 */
final class LocalChangeInvalidationTest {

  private static final AuthResult REVOKED = AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY);
  private static final AuthResult INVALID = AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY);

  private static CreatedKey cachedKey(Fixture f) {
    CreatedKey key = f.create("ledgers:read");
    assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
    return key;
  }

  @Test
  void aRevocationHereRefusesTheCachedKeyWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = cachedKey(f);
      f.store.feedMuted = true;

      f.auth.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();

      assertThat(f.auth.authenticate(key.plaintext().reveal(), "")).isEqualTo(REVOKED);
    }
  }

  @Test
  void aRotationHereWithoutGraceRefusesTheCachedOldKeyWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey old = cachedKey(f);
      f.store.feedMuted = true;

      CreatedKey fresh =
          f.auth.keys()
              .rotate(
                  BlnkPrincipal.master(),
                  old.apiKey().id().value(),
                  KeyQuery.anyOwner(), Duration.ZERO).orElseThrow();
      f.clock.advance(Duration.ofSeconds(1));

      assertThat(f.auth.authenticate(old.plaintext().reveal(), "")).isEqualTo(REVOKED);
      assertThat(f.auth.authenticate(fresh.plaintext().reveal(), "").granted()).isTrue();
    }
  }

  @Test
  void aRotationWithGraceKeepsTheOldKeyUntilTheGraceEndsWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey old = cachedKey(f);
      f.store.feedMuted = true;

      f.auth.keys()
          .rotate(
              BlnkPrincipal.master(),
              old.apiKey().id().value(),
              KeyQuery.anyOwner(), Duration.ofMinutes(5)).orElseThrow();

      f.clock.advance(Duration.ofMinutes(4));
      assertThat(f.auth.authenticate(old.plaintext().reveal(), "").granted()).isTrue();
      f.clock.advance(Duration.ofMinutes(2));
      assertThat(f.auth.authenticate(old.plaintext().reveal(), "")).isEqualTo(REVOKED);
    }
  }

  @Test
  void aMalformedStoredArgon2HashRefusesTheKeyAndVerifiesNothing() {
    try (Fixture f =
        new Fixture(new CountingKeyStore(), new CountingHasher(KeyHasher.argon2id(64, 1, 1)), b -> b)) {
      CreatedKey key = f.create("ledgers:read");
      StoredKey stored = f.store.findByLookupId(key.plaintext().lookupId()).orElseThrow();
      assertThat(stored.keyHash()).startsWith("$argon2id$");
      for (String broken :
          new String[] {
            "$argon2id$garbage",
            "$argon2id$v=19$m=64,t=1,p=1$!!!!$!!!!",
            stored.keyHash().substring(0, stored.keyHash().length() - 10),
          }) {
        String current = f.store.findByLookupId(key.plaintext().lookupId()).orElseThrow().keyHash();
        assertThat(f.store.replaceHash(key.apiKey().id(), current, broken)).isTrue();

        assertThat(f.auth.authenticate(key.plaintext().reveal(), "")).as(broken).isEqualTo(INVALID);
        // Refused, not proven: nothing was cached for the key.
        f.clock.advance(Duration.ofMinutes(10));
      }
    }
  }

  private static final AuthResult DISABLED = AuthResult.Denied.of(ErrorCode.AUTH_DISABLED_API_KEY);

  private static CreatedKey cachedKeyMadeBy(Fixture f, BlnkPrincipal creator, String... scopes) {
    CreatedKey key =
        f.auth.keys()
            .create(
                creator,
                CreateKeyRequest.builder()
                    .name("child")
                    .scopes(scopes)
                    .expiresAt(f.clock.instant().plus(Duration.ofHours(12)))
                    .build())
            .orElseThrow();
    assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
    return key;
  }

  @Test
  void aCascadeHereRefusesEveryCachedKeyOfTheTreeWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey root = f.create("api-keys:*", "ledgers:*");
      CreatedKey child = cachedKeyMadeBy(f, f.principal(root), "api-keys:*", "ledgers:read");
      CreatedKey grandchild = cachedKeyMadeBy(f, f.principal(child), "ledgers:read");
      CreatedKey bystander = cachedKey(f);
      f.store.feedMuted = true;

      f.auth.keys().revoke(BlnkPrincipal.master(), root.apiKey().id().value(), KeyQuery.anyOwner(), true).orElseThrow();

      for (CreatedKey k : new CreatedKey[] {root, child, grandchild}) {
        assertThat(f.auth.authenticate(k.plaintext().reveal(), "")).as(k.apiKey().name()).isEqualTo(REVOKED);
      }
      assertThat(f.auth.authenticate(bystander.plaintext().reveal(), "").granted()).isTrue();
    }
  }

  @Test
  void aLeakReportHereRefusesTheCachedKeyWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey revoked = cachedKey(f);
      CreatedKey disabled = cachedKey(f);
      f.store.feedMuted = true;

      assertThat(f.auth.keys().reportLeaked(revoked.plaintext().reveal(), LeakAction.REVOKE, "github").actionTaken())
          .isTrue();
      assertThat(f.auth.keys().reportLeaked(disabled.plaintext().reveal(), LeakAction.DISABLE, "github").actionTaken())
          .isTrue();

      assertThat(f.auth.authenticate(revoked.plaintext().reveal(), "")).isEqualTo(REVOKED);
      assertThat(f.auth.authenticate(disabled.plaintext().reveal(), "")).isEqualTo(DISABLED);
    }
  }

  @Test
  void aDisableOrEnableHereTakesEffectAtOnceWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = cachedKey(f);
      f.store.feedMuted = true;
      String id = key.apiKey().id().value();

      f.auth.keys().disable(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "")).isEqualTo(DISABLED);

      f.auth.keys().enable(BlnkPrincipal.master(), id, KeyQuery.anyOwner()).orElseThrow();
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
    }
  }

  @Test
  void anUpdateHereNarrowsTheCachedKeyAtOnceWithoutTheFeed() {
    try (Fixture f = new Fixture()) {
      CreatedKey key = f.create("ledgers:*");
      assertThat(f.auth.decide(key.plaintext().reveal(), f.resource("ledgers"), "POST", "").granted()).isTrue();
      f.store.feedMuted = true;

      f.auth.keys()
          .update(
              BlnkPrincipal.master(),
              key.apiKey().id().value(),
              KeyQuery.anyOwner(),
              KeyUpdate.builder().scopes("ledgers:read").build())
          .orElseThrow();

      assertThat(f.auth.decide(key.plaintext().reveal(), f.resource("ledgers"), "POST", ""))
          .isEqualTo(new AuthResult.Denied(ErrorCode.AUTH_INSUFFICIENT_PERMISSIONS, "Insufficient permissions for ledgers:write"));
      assertThat(f.auth.decide(key.plaintext().reveal(), f.resource("ledgers"), "GET", "").granted()).isTrue();
    }
  }

  @Test
  void aCreatorRevokedElsewhereIsRefusedHereOnceItsCreateFails() {
    try (Fixture f = new Fixture()) {
      CreatedKey creator = f.create("api-keys:*", "ledgers:read");
      BlnkPrincipal caller = f.principal(creator);
      f.store.feedMuted = true;
      f.store.revoke(creator.apiKey().id(), f.clock.instant()); // "another node": no feed message
      assertThat(f.auth.authenticate(creator.plaintext().reveal(), "").granted()).isTrue();

      KeyOutcome<CreatedKey> refused =
          f.auth.keys()
              .create(
                  caller,
                  CreateKeyRequest.builder()
                      .name("child")
                      .scopes("ledgers:read")
                      .expiresAt(f.clock.instant().plus(Duration.ofHours(1)))
                      .build());
      assertThat(refused.refusal())
          .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(ErrorCode.AUTH_EXPIRED_API_KEY));

      assertThat(f.auth.authenticate(creator.plaintext().reveal(), "")).isEqualTo(REVOKED);
    }
  }
}
