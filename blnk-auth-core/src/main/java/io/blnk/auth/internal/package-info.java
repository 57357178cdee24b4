/**
 * Implementation of the core: not exported, not API. Everything here may change without notice.
 */
package io.blnk.auth.internal;
