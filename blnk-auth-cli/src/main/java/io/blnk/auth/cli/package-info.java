/**
 * The operator CLI, {@code blnk-auth}: schema migrations, key management, the Blnk Core import,
 * master-key generation and a deployment check. An application, not a library: nothing here is
 * API.
 */
package io.blnk.auth.cli;
