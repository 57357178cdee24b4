package io.blnk.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.OwnerId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stored rows: the digest's form, and what a store that predates the newer operations does. */
final class StoredKeyTest {

  private static final String DIGEST = "0123456789abcdef".repeat(4);

  @Test
  void aDigestOfSixtyFourLowerCaseHexDigitsIsKept() {
    assertThat(StoredKey.requireDigest(DIGEST)).isSameAs(DIGEST);
    StoredKey stored = KeyStoreContract.newKey("alice", "k", KeyStoreContract.T0);

    assertThat(new StoredKey(stored.key(), stored.lookupId(), "h", Optional.of(DIGEST)).keyDigest())
        .contains(DIGEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "0123456789abcdef", "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde:",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde`",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
      })
  void anyOtherDigestIsRefusedAlsoWhenARowIsMade(String digest) {
    StoredKey stored = KeyStoreContract.newKey("alice", "k", KeyStoreContract.T0);

    assertThatThrownBy(() -> StoredKey.requireDigest(digest))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a key digest is 64 lower-case hex digits");
    assertThatThrownBy(
            () -> new StoredKey(stored.key(), stored.lookupId(), "h", Optional.of(digest)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a key digest is 64 lower-case hex digits");
  }

  /** A store implementing only the abstract operations: every default answers as documented. */
  @Test
  void aStoreThatPredatesDigestsUpdatesAndUsageFindsRecordsAndOffersNone() {
    InvocationHandler onlyDefaults =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          throw new AssertionError("not part of this check: " + method.getName());
        };
    KeyStore old =
        (KeyStore)
            Proxy.newProxyInstance(
                KeyStore.class.getClassLoader(), new Class<?>[] {KeyStore.class}, onlyDefaults);
    ApiKeyId id = ApiKeyId.random();

    assertThat(old.recordDigest(id, DIGEST)).isFalse();
    assertThat(old.findByDigest(DIGEST)).isEmpty();
    assertThat(old.usageStore()).isEmpty();
    assertThatThrownBy(() -> old.revokeCascade(id, KeyStoreContract.T0))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anUnavailableStoreNamesItsOperationAndItsRetryHint() {
    StoreUnavailableException e =
        new StoreUnavailableException("findByLookupId", "timed out", null, Duration.ofSeconds(3));

    assertThat(e.operation()).isEqualTo("findByLookupId");
    assertThat(e).hasMessage("findByLookupId: timed out");
  }
}
