/**
 * API keys: identifiers, owners, the stored key record and its status ({@link
 * io.blnk.auth.key.KeyStatus}), the client address ranges a key may be used from ({@link
 * io.blnk.auth.key.IpAllowList}), the plaintext key format and the hashers that protect keys at
 * rest.
 */
package io.blnk.auth.key;
