package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3: Argon2id (PHC-encoded, upgradable) and HMAC-SHA256 with a pepper. */
final class KeyHasherTest {

  private static final byte[] KEY = bytes(KeyFormat.blnk().generate(new SecureRandom()).reveal());
  private static final byte[] OTHER = bytes(KeyFormat.blnk().generate(new SecureRandom()).reveal());

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- Argon2id -----------------------------------------------------------------------------

  @Test
  void argon2idVerifiesTheKeyItHashedAndNoOther() {
    KeyHasher hasher = KeyHasher.argon2id(64, 1, 1);
    String hash = hasher.hash(KEY);

    assertThat(hasher.verify(hash, KEY)).isTrue();
    assertThat(hasher.verify(hash, OTHER)).isFalse();
    assertThat(hasher.verify(hash, new byte[0])).isFalse();
  }

  @Test
  void argon2idIsPhcEncodedWithItsParameters() {
    String hash = KeyHasher.argon2id(64, 1, 1).hash(KEY);

    assertThat(hash).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(KeyHasher.argon2id(96, 2, 2).hash(KEY)).startsWith("$argon2id$v=19$m=96,t=2,p=2$");
  }

  @Test
  void argon2idSaltsEveryHash() {
    KeyHasher hasher = KeyHasher.argon2id(64, 1, 1);

    assertThat(hasher.hash(KEY)).isNotEqualTo(hasher.hash(KEY));
  }

  @Test
  void argon2idVerifiesHashesMadeWithOtherParameters() {
    String old = KeyHasher.argon2id(64, 1, 1).hash(KEY);

    assertThat(KeyHasher.argon2id(128, 2, 1).verify(old, KEY)).isTrue();
  }

  @ParameterizedTest(name = "m={0},t={1},p={2} needs a rehash: {3}")
  @CsvSource({
    "64,  1, 1, false",
    "128, 1, 1, true",
    "64,  2, 1, true",
    "64,  1, 2, true",
    "32,  1, 1, true",
  })
  void argon2idAsksForARehashWhenParametersChange(int m, int t, int p, boolean rehash) {
    String hash = KeyHasher.argon2id(64, 1, 1).hash(KEY);

    assertThat(KeyHasher.argon2id(m, t, p).needsRehash(hash)).isEqualTo(rehash);
  }

  @Test
  void argon2idAsksForARehashOfForeignOrBrokenEncodings() {
    KeyHasher argon = KeyHasher.argon2id(64, 1, 1);

    assertThat(argon.needsRehash(KeyHasher.hmacSha256(new byte[32]).hash(KEY))).isTrue();
    assertThat(argon.needsRehash("$argon2id$garbage")).isTrue();
    assertThat(argon.needsRehash("")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "$argon2id$",
        "$argon2id$v=19$m=64,t=1,p=1$",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$",
        "$argon2id$v=19$m=64,t=1,p=1$!!!!$!!!!",
        "$argon2id$v=19$m=0,t=0,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
        "$hmac-sha256$v=1$aGFzaA",
      })
  void argon2idRejectsGarbageEncodingsWithoutThrowing(String encoded) {
    assertThat(KeyHasher.argon2id(64, 1, 1).verify(encoded, KEY)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"7, 1, 1", "64, 0, 1", "64, 1, 0", "64, 1, 65", "15, 1, 2"})
  void argon2idRefusesParametersOutOfRange(int m, int t, int p) {
    assertThatThrownBy(() -> KeyHasher.argon2id(m, t, p))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void argon2idPrintsItsParametersOnly() {
    assertThat(KeyHasher.argon2id(64, 1, 1)).hasToString("Argon2id[m=64,t=1,p=1]");
  }

  // ---- HMAC-SHA256 --------------------------------------------------------------------------

  private static byte[] pepper(int length, int seed) {
    byte[] p = new byte[length];
    for (int i = 0; i < length; i++) {
      p[i] = (byte) (seed + i * 31);
    }
    return p;
  }

  @Test
  void hmacVerifiesTheKeyItHashedAndNoOther() {
    KeyHasher hasher = KeyHasher.hmacSha256(pepper(32, 1));
    String hash = hasher.hash(KEY);

    assertThat(hash).matches("\\$hmac-sha256\\$v=1\\$[A-Za-z0-9+/]{43}");
    assertThat(hasher.verify(hash, KEY)).isTrue();
    assertThat(hasher.verify(hash, OTHER)).isFalse();
    assertThat(hasher.hash(KEY)).isEqualTo(hash);
  }

  @Test
  void hmacWithAnotherPepperDoesNotVerify() {
    String hash = KeyHasher.hmacSha256(pepper(32, 1)).hash(KEY);

    assertThat(KeyHasher.hmacSha256(pepper(32, 2)).verify(hash, KEY)).isFalse();
  }

  @Test
  void hmacCopiesItsPepper() {
    byte[] pepper = pepper(32, 1);
    KeyHasher hasher = KeyHasher.hmacSha256(pepper);
    String hash = hasher.hash(KEY);
    Arrays.fill(pepper, (byte) 0);

    assertThat(hasher.verify(hash, KEY)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31})
  void hmacRefusesAShortPepper(int length) {
    assertThatThrownBy(() -> KeyHasher.hmacSha256(new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void hmacAcceptsALongPepper() {
    KeyHasher hasher = KeyHasher.hmacSha256(pepper(64, 3));

    assertThat(hasher.verify(hasher.hash(KEY), KEY)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "$hmac-sha256$v=1$",
        "$hmac-sha256$v=1$!!!not-base64!!!",
        "$hmac-sha256$v=1$aGFzaA",
        "$hmac-sha256$v=2$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
      })
  void hmacRejectsGarbageEncodingsWithoutThrowing(String encoded) {
    assertThat(KeyHasher.hmacSha256(new byte[32]).verify(encoded, KEY)).isFalse();
  }

  @Test
  void hmacAsksForARehashOfOtherAlgorithmsOnly() {
    KeyHasher hmac = KeyHasher.hmacSha256(new byte[32]);

    assertThat(hmac.needsRehash(hmac.hash(KEY))).isFalse();
    assertThat(hmac.needsRehash(KeyHasher.argon2id(64, 1, 1).hash(KEY))).isTrue();
  }

  @Test
  void hmacNeverPrintsItsPepper() {
    byte[] pepper = "pepper-pepper-pepper-pepper-pepper".getBytes(StandardCharsets.US_ASCII);

    assertThat(KeyHasher.hmacSha256(pepper).toString())
        .doesNotContain("pepper-pepper")
        .isEqualTo("HmacSha256[pepper=redacted]");
  }
}
