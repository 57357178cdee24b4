package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The verified-key cache is keyed by {@link KeyDigest}: two digests are equal only when all 256 bits
 * are, or one presented key would be answered with another key's proof.
 */
final class KeyDigestTest {

  private static KeyDigest digest(long a, long b, long c, long d) throws Exception {
    // SHA-256 outputs differing in one 64-bit word only cannot be found; build them directly.
    Constructor<KeyDigest> ctor =
        KeyDigest.class.getDeclaredConstructor(long.class, long.class, long.class, long.class);
    ctor.setAccessible(true);
    return ctor.newInstance(a, b, c, d);
  }

  @Test
  void theSameKeyGivesEqualDigests() {
    byte[] key = "blnk_key".getBytes(StandardCharsets.UTF_8);
    KeyDigest one = KeyDigest.of(key);
    KeyDigest two = KeyDigest.of(key.clone());
    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isEqualTo(one);
  }

  @Test
  void aStringDigestsAsItsUtf8BytesWhateverItsLengthOrCharacters() throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    for (String key : new String[] {"", "blnk_abc", "é-non-ascii-ü", "x".repeat(128), "y".repeat(129),
        "blnk_" + "Z".repeat(60) + "\u00e9"}) {
      byte[] expected = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(expected);
      assertThat(KeyDigest.of(key)).as(key)
          .isEqualTo(KeyDigest.of(key.getBytes(StandardCharsets.UTF_8)))
          .isEqualTo(digest(b.getLong(), b.getLong(), b.getLong(), b.getLong()));
    }
    // the per-thread scratch space leaves nothing of one key in the digest of the next
    assertThat(KeyDigest.of("blnk_long_key_0123456789")).isNotEqualTo(KeyDigest.of("blnk_long_key_01234567"));
    assertThat(KeyDigest.of("ab")).isEqualTo(KeyDigest.of("ab".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void differentKeysGiveUnequalDigests() {
    assertThat(KeyDigest.of("blnk_key1".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(KeyDigest.of("blnk_key2".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aDigestDifferingInAnyOneWordIsAnotherDigest() throws Exception {
    KeyDigest base = digest(1, 2, 3, 4);
    assertThat(base).isEqualTo(digest(1, 2, 3, 4));
    assertThat(base).isNotEqualTo(digest(9, 2, 3, 4));
    assertThat(base).isNotEqualTo(digest(1, 9, 3, 4));
    assertThat(base).isNotEqualTo(digest(1, 2, 9, 4));
    assertThat(base).isNotEqualTo(digest(1, 2, 3, 9));
  }

  @Test
  void theConstantTimeComparisonAgreesWithEqualsWordByWord() throws Exception {
    KeyDigest base = digest(1, 2, 3, 4);
    assertThat(base.sameAs(digest(1, 2, 3, 4))).isTrue();
    assertThat(base.sameAs(digest(9, 2, 3, 4))).isFalse();
    assertThat(base.sameAs(digest(1, 9, 3, 4))).isFalse();
    assertThat(base.sameAs(digest(1, 2, 9, 4))).isFalse();
    assertThat(base.sameAs(digest(1, 2, 3, 9))).isFalse();
    assertThat(base.sameAs(digest(1, 2, 3, 5))).isFalse();
  }

  @Test
  void differentKeysHashApart() {
    assertThat(KeyDigest.of("blnk_key1").hashCode()).isNotEqualTo(KeyDigest.of("blnk_key2").hashCode());
  }

  @Test
  void aDigestEqualsNothingElseAndPrintsNoBits() {
    KeyDigest digest = KeyDigest.of("blnk_key".getBytes(StandardCharsets.UTF_8));
    assertThat(digest.equals(null)).isFalse();
    assertThat(digest.equals("blnk_key")).isFalse();
    assertThat(digest.toString()).isEqualTo("KeyDigest[redacted]");
  }

  @Test
  void aKeyWithCharactersOutsideAsciiLeavesNothingInTheScratchSpace() {
    KeyDigest digest = KeyDigest.of("blnk_secret-\u00e9-key");

    assertThat(digest).isEqualTo(KeyDigest.of("blnk_secret-\u00e9-key".getBytes(StandardCharsets.UTF_8)));
    assertThat(KeyDigest.scratch().in).containsOnly((byte) 0);
  }

  @Test
  void anAsciiKeyLeavesNothingInTheScratchSpaceEither() {
    KeyDigest.of("blnk_ascii_secret");

    assertThat(KeyDigest.scratch().in).containsOnly((byte) 0);
  }

  @Test
  void theFirstCharacterPastAsciiIsDigestedAsItsUtf8Bytes() {
    assertThat(KeyDigest.of("a\u0080")).isEqualTo(KeyDigest.of("a\u0080".getBytes(StandardCharsets.UTF_8)));
    assertThat(KeyDigest.of("a\u007f")).isEqualTo(KeyDigest.of("a\u007f".getBytes(StandardCharsets.UTF_8)));
  }
}
