package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.KeyStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §9: secure mode refuses a missing, short or low-variety master key, and says why. */
final class MasterKeyStrengthTest {

  private static BlnkAuth.Builder builder() {
    return BlnkAuth.builder()
        .store(KeyStore.inMemory())
        .hasher(io.blnk.auth.key.KeyHasher.hmacSha256(new byte[32]))
        .listener(AuthListener.none());
  }

  @ParameterizedTest(name = "[{0}] is refused: {1}")
  @CsvSource({
    "'',                                         needs a master key",
    "'Kq7$x',                                    too short",
    "'0123456789abcdefghijABCDEFGHIJ!',          too short",
    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', too little variety",
    "'abababababababababababababababababababab', too little variety",
    "'secretsecretsecretsecretsecretsecret',     too little variety",
    "'123456789123456789123456789123456789',     too little variety",
  })
  void aWeakMasterKeyIsRefusedWithAHowTo(String key, String reason) {
    assertThatThrownBy(() -> builder().masterKey(key).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining("openssl rand")
        .satisfies(e -> {
          if (key.length() > 3) {
            assertThat(e.getMessage()).doesNotContain(key);
          }
        });
  }

  @ParameterizedTest(name = "a {0}-character key")
  @CsvSource({"1", "5", "17", "31"})
  void theTooShortMessageNeverStatesTheKeysLength(int length) {
    String key = "Kq7$xZ9!mP2@wR4#vT6%yU8^bN1&cL3*".substring(0, length);
    assertThatThrownBy(() -> builder().masterKey(key).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("too short")
        .hasMessageContaining("at least 32 characters")
        .satisfies(e -> assertThat(e.getMessage().replace("32", "")).doesNotContain(String.valueOf(length)));
  }

  @Test
  void secureModeWithoutAMasterKeyIsRefused() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("master key")
        .hasMessageContaining("openssl rand");
  }

  @Test
  void aWeakPreviousMasterKeyIsRefusedToo() {
    assertThatThrownBy(() -> builder().masterKey(Fixture.MASTER).previousMasterKeys(List.of("old")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("previous master key")
        .hasMessageContaining("openssl rand");
  }

  @Test
  void aStrongMasterKeyBuilds() {
    try (BlnkAuth auth = builder().masterKey("kX9#pQ2$vL7&mN4@wR8*zT3!yU6^bE1%").build()) {
      assertThat(auth.secure()).isTrue();
      assertThat(auth.authenticate("kX9#pQ2$vL7&mN4@wR8*zT3!yU6^bE1%", "").granted()).isTrue();
    }
  }

  @Test
  void secureModeOffBuildsWithoutAKey() {
    try (BlnkAuth auth = builder().secure(false).build()) {
      assertThat(auth.secure()).isFalse();
      assertThat(auth.authenticate("", "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_MISSING_API_KEY));
    }
  }

  @Test
  void aStoreIsRequired() {
    assertThatThrownBy(() -> BlnkAuth.builder().masterKey(Fixture.MASTER).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KeyStore");
  }

  @Test
  void theStrengthCheckIsAvailableOnItsOwn() {
    assertThatThrownBy(() -> BlnkAuth.Builder.requireStrong("x".repeat(40), "BLNK_SERVER_SECRET_KEY"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("BLNK_SERVER_SECRET_KEY");
    assertThatThrownBy(() -> MasterKeys.requireStrong("x".repeat(40), "BLNK_SERVER_SECRET_KEY"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("BLNK_SERVER_SECRET_KEY");
    MasterKeys.requireStrong(Fixture.MASTER, "BLNK_SERVER_SECRET_KEY");
  }

  @Test
  void theStrengthBoundariesAreExactlyThirtyTwoCharactersAndTenDistinct() {
    // Exactly at both minimums: accepted.
    BlnkAuth.Builder.requireStrong("0123456789".repeat(3) + "01", "key");
    // One character short, or one distinct character short: refused.
    assertThatThrownBy(() -> BlnkAuth.Builder.requireStrong("0123456789".repeat(3) + "0", "key"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("too short");
    assertThatThrownBy(() -> BlnkAuth.Builder.requireStrong("012345678".repeat(4), "key"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("too little variety");
    try (BlnkAuth auth = builder().masterKey("0123456789".repeat(3) + "01").build()) {
      assertThat(auth.authenticate("0123456789".repeat(3) + "01", "").granted()).isTrue();
    }
  }
}
