/**
 * The storage SPI: what a key store must do ({@link io.blnk.auth.store.KeyStore}), the record it
 * keeps, its revocation feed and its one failure type. {@link io.blnk.auth.store.KeyStore#inMemory()}
 * is the reference implementation.
 */
package io.blnk.auth.store;
