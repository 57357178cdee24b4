package io.blnk.auth.store;

/** The in-memory reference store keeps the store contract. */
final class InMemoryKeyStoreTest extends KeyStoreContract {

  @Override
  protected KeyStore newStore() {
    return KeyStore.inMemory();
  }
}
