package io.blnk.auth.servlet;

import io.blnk.auth.store.KeyStore;
import jakarta.servlet.FilterConfig;

/** For the web.xml test: an in-memory store. Public because the container instantiates it. */
public final class InMemoryStoreFactory implements KeyStoreFactory {

  /** Instantiated by the filter. */
  public InMemoryStoreFactory() {}

  @Override
  public KeyStore create(FilterConfig config) {
    return KeyStore.inMemory();
  }
}
