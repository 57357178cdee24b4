/**
 * API keys: identifiers, owners, the stored key record, the plaintext key format and the hashers
 * that protect keys at rest.
 */
package io.blnk.auth.key;
