package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hashers' parameter limits, exactly at and one past each boundary, with their exact messages;
 * and the null checks of their public methods.
 */
final class KeyHasherBoundaryTest {

  private static final byte[] KEY = "blnk_boundary".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest(name = "m={0},t={1},p={2} is accepted")
  @CsvSource({"8, 1, 1", "16, 1, 2", "512, 1, 64", "64, 1, 1"})
  void argon2idAcceptsParametersExactlyAtTheirLimits(int m, int t, int p) {
    KeyHasher hasher = KeyHasher.argon2id(m, t, p);

    assertThat(hasher).hasToString("Argon2id[m=" + m + ",t=" + t + ",p=" + p + "]");
    assertThat(hasher.needsRehash("$argon2id$v=19$m=" + m + ",t=" + t + ",p=" + p + "$c2FsdA$aGFzaA"))
        .isFalse();
  }

  @ParameterizedTest(name = "m={0},t={1},p={2}: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "8   | 1 | 0  | parallelism must be 1 to 64, was 0",
        "600 | 1 | 65 | parallelism must be 1 to 64, was 65",
        "64  | 0 | 1  | iterations must be at least 1, was 0",
        "64  | -1 | 1 | iterations must be at least 1, was -1",
        "15  | 1 | 2  | memoryKiB must be at least 8 × parallelism (16), was 15",
        "7   | 1 | 1  | memoryKiB must be at least 8 × parallelism (8), was 7",
        "511 | 1 | 64 | memoryKiB must be at least 8 × parallelism (512), was 511",
      })
  void argon2idRefusesParametersOnePastTheirLimitsSayingWhich(int m, int t, int p, String message) {
    assertThatThrownBy(() -> KeyHasher.argon2id(m, t, p))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void argon2idTheDefaultsAreOwaspsRecommendation() {
    assertThat(KeyHasher.argon2id()).hasToString("Argon2id[m=19456,t=2,p=1]");
  }

  @Test
  void argon2idNeedsARehashOfAHashThatOnlyStartsLikeItsParameters() {
    KeyHasher hasher = KeyHasher.argon2id(64, 1, 1);

    // m=640 starts with "m=64": the whole parameter field, up to '$', must match
    assertThat(hasher.needsRehash("$argon2id$v=19$m=640,t=1,p=1$c2FsdA$aGFzaA")).isTrue();
    assertThat(hasher.needsRehash("$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA")).isFalse();
    assertThat(hasher.needsRehash("$argon2id$v=16$m=64,t=1,p=1$c2FsdA$aGFzaA")).isTrue();
    assertThat(hasher.needsRehash("$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA")).isTrue();
  }

  @Test
  void theHashersRefuseNullsByName() {
    KeyHasher argon = KeyHasher.argon2id(64, 1, 1);
    KeyHasher hmac = KeyHasher.hmacSha256(new byte[32]);

    assertThatThrownBy(() -> argon.hash(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> argon.verify(null, KEY)).isInstanceOf(NullPointerException.class).hasMessage("encoded");
    assertThatThrownBy(() -> argon.verify("$argon2id$", null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> argon.needsRehash(null)).isInstanceOf(NullPointerException.class).hasMessage("encoded");
    assertThatThrownBy(() -> KeyHasher.hmacSha256(null)).isInstanceOf(NullPointerException.class).hasMessage("pepper");
    assertThatThrownBy(() -> hmac.verify(null, KEY)).isInstanceOf(NullPointerException.class).hasMessage("encoded");
    assertThatThrownBy(() -> hmac.hash(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
  }

  @Test
  void hmacRefusesAShortPepperSayingItsLengthAndAcceptsExactlyThirtyTwoBytes() {
    assertThatThrownBy(() -> KeyHasher.hmacSha256(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pepper must be at least 32 bytes, was 31");
    KeyHasher hmac = KeyHasher.hmacSha256(new byte[32]);
    assertThat(hmac.verify(hmac.hash(KEY), KEY)).isTrue();
  }

  @Test
  void hmacRefusesAnEncodingThatIsOnlyItsPrefixOrAnEmptyMac() {
    KeyHasher hmac = KeyHasher.hmacSha256(new byte[32]);
    String hash = hmac.hash(KEY);

    assertThat(hmac.verify("$hmac-sha256$v=1$", KEY)).isFalse();
    assertThat(hmac.verify(hash.substring(0, hash.length() - 1), KEY)).isFalse();
    assertThat(hmac.verify("x" + hash, KEY)).isFalse();
    assertThat(hmac.verify(hash, KEY)).isTrue();
  }
}
