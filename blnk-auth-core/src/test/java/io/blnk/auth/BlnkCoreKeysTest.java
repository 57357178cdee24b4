package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.BlnkCoreKeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoredKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Keys issued by Blnk Core, on rows imported with their bcrypt hash (acceptBlnkCoreKeys). */
final class BlnkCoreKeysTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** What BlnkCoreHasher of blnk-auth-jdbc does, here on the test class path only. */
  static final class BcryptUpgrading implements KeyHasher {
    final KeyHasher current;

    BcryptUpgrading(KeyHasher current) {
      this.current = current;
    }

    @Override
    public String hash(byte[] key) {
      return current.hash(key);
    }

    @Override
    public boolean verify(String encoded, byte[] key) {
      return encoded.startsWith("$2")
          ? BCrypt.checkpw(key, encoded)
          : current.verify(encoded, key);
    }

    @Override
    public boolean needsRehash(String encoded) {
      return encoded.startsWith("$2") || current.needsRehash(encoded);
    }
  }

  /** A key as Blnk Core's GenerateKey makes it: URL-safe base64, padded, of 32 random bytes. */
  static String blnkCoreKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().encodeToString(bytes);
  }

  /** Stores a key the way the import does: lookup id = first 16 chars, bcrypt hash kept. */
  private static ApiKey importKey(KeyStore store, String plaintext, Optional<java.time.Instant> revokedAt) {
    ApiKey key =
        new ApiKey(
            ApiKeyId.random(),
            "imported",
            new OwnerId("team-blnk"),
            ScopeSet.parse(List.of("ledgers:read", "balances:*")),
            Optional.of(Fixture.T0.plus(Duration.ofDays(30))),
            Fixture.T0.minus(Duration.ofDays(3)),
            Optional.empty(),
            revokedAt,
            Optional.empty(),
            plaintext.substring(0, 8));
    String hash = BCrypt.hashpw(plaintext, BCrypt.gensalt("$2a", 4));
    assertThat(store.insert(new StoredKey(key, plaintext.substring(0, 16), hash))).isTrue();
    return key;
  }

  private static Fixture accepting() {
    Fixture f =
        new Fixture(
            new CountingKeyStore(),
            new CountingHasher(new BcryptUpgrading(KeyHasher.hmacSha256(new byte[32]))),
            b -> b.acceptBlnkCoreKeys(true));
    f.hasher.verifications.set(0); // build() proved once that the hasher understands bcrypt
    return f;
  }

  @Test
  void everyKeyBlnkCoreGeneratesHasTheLegacyShape() {
    for (int i = 0; i < 2000; i++) {
      String key = blnkCoreKey();
      assertThat(BlnkCoreKeyFormat.isWellFormed(key)).as(key).isTrue();
      assertThat(BlnkCoreKeyFormat.lookupId(key)).isEqualTo(key.substring(0, 16));
    }
  }

  @Test
  void nearMissesOfTheLegacyShapeAreNotWellFormed() {
    String key = blnkCoreKey();
    char last = key.charAt(42);
    // The 43rd character carries two zero bits: one with them set is not what an encoder writes.
    String nonCanonical = key.substring(0, 42) + (char) (last == 'A' ? 'B' : last + 1) + "=";
    assertThat(BlnkCoreKeyFormat.isWellFormed(nonCanonical)).isFalse();
    assertThat(BlnkCoreKeyFormat.isWellFormed(key.substring(0, 43))).isFalse();
    assertThat(BlnkCoreKeyFormat.isWellFormed(key.substring(0, 43) + "A")).isFalse();
    assertThat(BlnkCoreKeyFormat.isWellFormed(key.replace(key.charAt(5), '+'))).isFalse();
    assertThat(BlnkCoreKeyFormat.isWellFormed(key.replace(key.charAt(5), '/'))).isFalse();
    assertThat(BlnkCoreKeyFormat.isWellFormed(null)).isFalse();
  }

  /** 32 bytes leave the 43rd character's two low bits zero: one base64url value in four ends a key. */
  @Test
  void theLastCharacterBeforeThePaddingMustLeaveTheUnusedBitsZero() {
    String head = "q1Vt0m-8aZ3_xY7kLw2pQ9rT4uV6wX8yZ0aB1cD2eF";
    assertThat(head).hasSize(42);
    for (char last : "AEQcgw048".toCharArray()) {
      assertThat(BlnkCoreKeyFormat.isWellFormed(head + last + "=")).as("%s", last).isTrue();
    }
    for (char last : "BDbdf1359-_".toCharArray()) {
      assertThat(BlnkCoreKeyFormat.isWellFormed(head + last + "=")).as("%s", last).isFalse();
    }
  }

  @Test
  void aLookupIdIsExactlySixteenBase64UrlCharacters() {
    assertThat(BlnkCoreKeyFormat.isLookupId("AAAAAAAAAAAAAAAA")).isTrue();
    assertThat(BlnkCoreKeyFormat.isLookupId("Zaz09-_q1Vt0m8aZ")).isTrue();
    assertThat(BlnkCoreKeyFormat.isLookupId("AAAAAAAAAAAAAAA")).isFalse();
    assertThat(BlnkCoreKeyFormat.isLookupId("AAAAAAAAAAAAAAAAA")).isFalse();
    assertThat(BlnkCoreKeyFormat.isLookupId("AAAAAAAAAAAAAAA+")).isFalse();
    assertThat(BlnkCoreKeyFormat.isLookupId("/AAAAAAAAAAAAAAA")).isFalse();
    assertThat(BlnkCoreKeyFormat.isLookupId(null)).isFalse();
  }

  @Test
  void thePartsOfAMalformedLegacyKeyAreRefused() {
    String key = blnkCoreKey();
    String malformed = key.substring(0, 43) + "A";

    assertThat(BlnkCoreKeyFormat.displayPrefix(key)).isEqualTo(key.substring(0, 8));
    assertThatThrownBy(() -> BlnkCoreKeyFormat.lookupId(malformed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a well-formed Blnk Core key");
    assertThatThrownBy(() -> BlnkCoreKeyFormat.displayPrefix(malformed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a well-formed Blnk Core key");
  }

  @Test
  void withoutTheSettingALegacyKeyIsMalformedAndTouchesNothing() {
    try (Fixture f = new Fixture()) {
      String key = blnkCoreKey();
      importKey(f.store, key, Optional.empty());
      AuthResult result = f.auth.authenticate(key, "");
      assertThat(result).isInstanceOf(AuthResult.Denied.class);
      assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_INVALID_API_KEY);
      assertThat(f.store.lookups).hasValue(0);
      assertThat(f.hasher.verifications).hasValue(0);
    }
  }

  @Test
  void aMalformedLegacyShapedKeyTouchesNeitherStoreNorHashEvenWithTheSetting() {
    try (Fixture f = accepting()) {
      String key = blnkCoreKey();
      importKey(f.store, key, Optional.empty());
      for (String bad : List.of(key.substring(0, 43) + "A", key.substring(1) + "=", key.replace('=', '.'))) {
        AuthResult result = f.auth.authenticate(bad, "");
        assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_INVALID_API_KEY);
      }
      assertThat(f.store.lookups).hasValue(0);
      assertThat(f.hasher.verifications).hasValue(0);
    }
  }

  @Test
  void anImportedKeyAuthenticatesOnceWithBcryptThenFromTheCacheAndIsRehashed() throws Exception {
    try (Fixture f = accepting()) {
      String key = blnkCoreKey();
      ApiKey imported = importKey(f.store, key, Optional.empty());
      AuthResult first = f.auth.authenticate(key, "");
      assertThat(first).isInstanceOf(AuthResult.Granted.class);
      BlnkPrincipal p = ((AuthResult.Granted) first).principal();
      assertThat(p.apiKeyId()).contains(imported.id());
      assertThat(p.ownerId()).contains(new OwnerId("team-blnk"));
      assertThat(p.allows(f.resource("ledgers").orElseThrow(), Action.READ)).isTrue();
      assertThat(p.allows(f.resource("ledgers").orElseThrow(), Action.WRITE)).isFalse();
      for (int i = 0; i < 5; i++) {
        assertThat(f.auth.authenticate(key, "")).isInstanceOf(AuthResult.Granted.class);
      }
      assertThat(f.hasher.verifications).hasValue(1);
      // The upgrade runs on the maintenance thread; wait for it, boundedly.
      String hash = f.store.findByLookupId(key.substring(0, 16)).orElseThrow().keyHash();
      for (int i = 0; i < 500 && hash.startsWith("$2"); i++) {
        Thread.sleep(10);
        hash = f.store.findByLookupId(key.substring(0, 16)).orElseThrow().keyHash();
      }
      assertThat(hash).startsWith("$hmac-sha256$");
      assertThat(f.hasher.verify(hash, key.getBytes(StandardCharsets.UTF_8))).isTrue();
    }
  }

  @Test
  void aWrongLegacySecretWithAKnownPrefixIsInvalid() {
    try (Fixture f = accepting()) {
      String key = blnkCoreKey();
      importKey(f.store, key, Optional.empty());
      String other = blnkCoreKey();
      String wrong = key.substring(0, 16) + other.substring(16);
      AuthResult result = f.auth.authenticate(wrong, "");
      assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_INVALID_API_KEY);
    }
  }

  @Test
  void aRevokedImportedKeyIsRefusedAsExpired() {
    try (Fixture f = accepting()) {
      String key = blnkCoreKey();
      importKey(f.store, key, Optional.of(Fixture.T0.minus(Duration.ofDays(1))));
      AuthResult result = f.auth.authenticate(key, "");
      assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_EXPIRED_API_KEY);
    }
  }

  @Test
  void rotatingALegacyKeyIssuesANativeKey() {
    try (Fixture f = accepting()) {
      String key = blnkCoreKey();
      ApiKey imported = importKey(f.store, key, Optional.empty());
      CreatedKey rotated =
          f.auth.keys().rotate(BlnkPrincipal.master(), imported.id().value(), KeyQuery.anyOwner()).orElseThrow();
      assertThat(rotated.plaintext().reveal()).startsWith("blnk_");
      assertThat(f.auth.keyFormat().isWellFormed(rotated.plaintext().reveal())).isTrue();
      assertThat(rotated.apiKey().ownerId()).isEqualTo(imported.ownerId());
      assertThat(rotated.apiKey().scopes()).isEqualTo(imported.scopes());
      assertThat(f.auth.authenticate(rotated.plaintext().reveal(), "")).isInstanceOf(AuthResult.Granted.class);
      // The old key keeps working during the grace period.
      assertThat(f.auth.authenticate(key, "")).isInstanceOf(AuthResult.Granted.class);
    }
  }

  @Test
  void theSettingNeedsAHasherThatUpgradesBcrypt() {
    assertThatThrownBy(
            () ->
                BlnkAuth.builder()
                    .store(KeyStore.inMemory())
                    .masterKey(Fixture.MASTER)
                    .hasher(KeyHasher.hmacSha256(new byte[32]))
                    .acceptBlnkCoreKeys(true)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("acceptBlnkCoreKeys");
  }

  @Test
  void aRefusedLegacyKeyIsNamedByItsFirstEightCharactersInTheEvent() {
    EventsTest.Recorder recorder = new EventsTest.Recorder();
    try (Fixture f =
        Fixture.withListener(
            new CountingKeyStore(),
            new CountingHasher(new BcryptUpgrading(KeyHasher.hmacSha256(new byte[32]))),
            recorder,
            b -> b.acceptBlnkCoreKeys(true))) {
      String key = blnkCoreKey();

      assertThat(f.auth.authenticate(key, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));

      assertThat(recorder.events).extracting(AuthEvent::keyHint).containsExactly(key.substring(0, 8));
    }
  }
}
