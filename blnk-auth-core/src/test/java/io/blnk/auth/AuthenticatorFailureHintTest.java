package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.store.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The lookup id and the failure event's key hint are cut from the presented key without re-checking it. */
final class AuthenticatorFailureHintTest {

  private static final String MASTER = "test-master-0123456789-abcdefghijklmnopqrstuvwxyz";

  private final List<AuthEvent> events = new CopyOnWriteArrayList<>();

  private BlnkAuth auth(AuthListener listener) {
    return BlnkAuth.builder()
        .store(KeyStore.inMemory())
        .hasher(KeyHasher.hmacSha256(new byte[32]))
        .masterKey(MASTER)
        .listener(listener)
        .build();
  }

  @Test
  void aCreatedKeyIsFoundByItsLookupId() {
    try (BlnkAuth auth = auth(AuthListener.none())) {
      String key =
          auth.keys()
              .create(
                  BlnkPrincipal.master(),
                  CreateKeyRequest.builder()
                      .name("k")
                      .owner("o")
                      .scopes("ledgers:read")
                      .expiresAt(Instant.now().plus(Duration.ofHours(1)))
                      .build()).orElseThrow()
              .plaintext()
              .reveal();

      assertThat(auth.authenticate(key, "").granted()).isTrue();
    }
  }

  @Test
  void anUnknownKeysFailureEventNamesItsDisplayPrefixAndNotTheSecret() {
    String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    try (BlnkAuth auth = auth(events::add)) {
      assertThat(auth.authenticate(unknown, "10.0.0.1").granted()).isFalse();
    }

    assertThat(events)
        .filteredOn(e -> e.type() == AuthEvent.Type.AUTH_FAILED)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.code()).contains(ErrorCode.AUTH_INVALID_API_KEY);
              assertThat(e.keyHint()).isEqualTo(unknown.substring(0, 13));
              assertThat(e.toString()).doesNotContain(unknown.substring(13));
            });
  }
}
