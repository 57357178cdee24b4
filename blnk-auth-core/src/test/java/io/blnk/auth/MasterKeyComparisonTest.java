package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The master keys are compared char by char in constant time, with the same answers as equals. */
final class MasterKeyComparisonTest {

  private static final String MASTER = "test-master-0123456789-abcdefghijklmnopqrstuvwxyz";
  private static final String PREVIOUS = "old-master-9876543210-zyxwvutsrqponmlkjihgfedcba";

  @ParameterizedTest
  @CsvSource({
    "abc, abc, true",
    "abc, abd, false",
    "abc, ab, false",
    "ab, abc, false",
    "abcabc, abc, false",
    "a, abc, false",
    "é, é, true",
    "é, e, false",
  })
  void constantTimeEqualsAgreesWithEquals(String presented, String secret, boolean equal) {
    assertThat(Authenticator.constantTimeEquals(presented, secret.toCharArray())).isEqualTo(equal);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "\uD800"})
  void anEmptySecretMatchesNothingPresented(String presented) {
    assertThat(Authenticator.constantTimeEquals(presented, new char[0])).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {MASTER, PREVIOUS})
  void theMasterKeyAndAPreviousOneAreTheMaster(String presented) {
    try (BlnkAuth auth = auth()) {
      AuthResult result = auth.authenticate(presented, "");

      assertThat(result).isInstanceOfSatisfying(
          AuthResult.Granted.class, g -> assertThat(g.principal().isMaster()).isTrue());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "test-master-0123456789-abcdefghijklmnopqrstuvwxy",
        "test-master-0123456789-abcdefghijklmnopqrstuvwxyzz",
        "test-master-0123456789-abcdefghijklmnopqrstuvwxyZ",
        "Test-master-0123456789-abcdefghijklmnopqrstuvwxyz",
      })
  void aNearMissIsNotTheMaster(String presented) {
    try (BlnkAuth auth = auth()) {
      AuthResult result = auth.authenticate(presented, "");

      assertThat(result).isInstanceOfSatisfying(
          AuthResult.Denied.class,
          d -> assertThat(d.code()).isEqualTo(ErrorCode.AUTH_INVALID_API_KEY));
    }
  }

  /**
   * A master key may itself have the key format (an operator may generate it that way): such a text
   * is compared by digest, not by characters, and must still be the master, current or previous,
   * while a well-formed key one character away is not.
   */
  @Test
  void aMasterKeyInTheKeyFormatIsTheMasterByItsDigest() {
    String keyShaped = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    String previousKeyShaped = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    String other = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    try (BlnkAuth auth =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .hasher(KeyHasher.hmacSha256(new byte[32]))
            .masterKey(keyShaped)
            .previousMasterKeys(List.of(previousKeyShaped))
            .listener(AuthListener.none())
            .build()) {
      for (String master : List.of(keyShaped, previousKeyShaped)) {
        assertThat(auth.authenticate(master, ""))
            .as(master)
            .isInstanceOfSatisfying(
                AuthResult.Granted.class, g -> assertThat(g.principal().isMaster()).isTrue());
      }
      assertThat(auth.authenticate(other, ""))
          .isInstanceOfSatisfying(
              AuthResult.Denied.class,
              d -> assertThat(d.code()).isEqualTo(ErrorCode.AUTH_INVALID_API_KEY));
      // another instance's master key is nothing here
      assertThat(auth.authenticate(MASTER, "")).isInstanceOf(AuthResult.Denied.class);
    }
  }

  /** Whatever path a presentation takes, the thread's scratch space keeps no byte of it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        MASTER,
        "blnk_0000000000000000000000000000000000000000000000000",
        "not a key at all",
        "caf\u00e9-with-a-non-ascii-character",
      })
  void noPresentedByteStaysInTheScratchSpace(String presented) {
    String keyShaped = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    try (BlnkAuth auth = auth()) {
      for (String text : List.of(presented, keyShaped)) {
        auth.authenticate(text, "");

        assertThat(KeyDigest.scratch().in).as(text).containsOnly((byte) 0);
      }
    }
  }

  private static BlnkAuth auth() {
    return BlnkAuth.builder()
        .store(KeyStore.inMemory())
        .hasher(KeyHasher.hmacSha256(new byte[32]))
        .masterKey(MASTER)
        .previousMasterKeys(List.of(PREVIOUS))
        .listener(AuthListener.none())
        .build();
  }
}
