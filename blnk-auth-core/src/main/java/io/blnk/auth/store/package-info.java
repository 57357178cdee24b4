/**
 * The storage SPI: what a key store must do ({@link io.blnk.auth.store.KeyStore}), the record it
 * keeps, the outcomes of its writes ({@link io.blnk.auth.store.InsertResult}, {@link
 * io.blnk.auth.store.RevokeResult}, {@link io.blnk.auth.store.RotateResult}, {@link
 * io.blnk.auth.store.UpdateResult}, {@link io.blnk.auth.store.CascadeResult}), its revocation feed,
 * its one failure type and the state of the circuit in front of it. {@link io.blnk.auth.store.KeyStore#inMemory()}
 * is the reference implementation.
 */
package io.blnk.auth.store;
