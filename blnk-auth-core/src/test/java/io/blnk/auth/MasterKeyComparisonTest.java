package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.util.List;
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
