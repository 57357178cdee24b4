/**
 * The entry point ({@link io.blnk.auth.BlnkAuth}), the authentication decision and its result,
 * the key service with its owner and delegation rules, the error catalogue and the events SPI.
 */
package io.blnk.auth;
