package io.blnk.auth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.key.ApiKeyId;
import org.junit.jupiter.api.Test;

/** The in-memory reference store keeps the store contract. */
final class InMemoryKeyStoreTest extends KeyStoreContract {

  @Override
  protected KeyStore newStore() {
    return KeyStore.inMemory();
  }

  @Test
  void aRotationWithALimitBelowOneIsAProgrammingError() {
    StoredKey old = newKey("alice", "old", T0);
    store.insert(old);
    StoredKey next = newKey("alice", "next", T0);

    assertThatThrownBy(() -> store.rotate(next, old.key().id(), T0.plusSeconds(60), T0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxActiveKeysPerOwner must be at least 1, was 0");
    assertThat(store.findById(next.key().id())).isEmpty();
  }

  @Test
  void anUpdateMustReplaceAKeyWithTheSameId() {
    StoredKey stored = newKey("alice", "k", T0);
    store.insert(stored);
    ApiKeyId other = ApiKeyId.random();

    assertThatThrownBy(
            () -> store.update(stored.key(), stored.key().toBuilder().id(other).name("x").build(), T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replacement " + other + " is not key " + stored.key().id());
    assertThat(store.findById(stored.key().id())).contains(stored.key());
  }

  @Test
  void theStoreKeepsItsOwnUsageStoreAndCountsItsKeys() {
    store.insert(newKey("alice", "a", T0));
    store.insert(newKey("bob", "b", T0));

    assertThat(store.usageStore()).isPresent();
    assertThat(store.usageStore().orElseThrow()).isSameAs(store.usageStore().orElseThrow());
    assertThat(store).hasToString("InMemoryKeyStore[2 keys]");
  }
}
