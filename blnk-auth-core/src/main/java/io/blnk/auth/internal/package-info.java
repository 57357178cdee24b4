/**
 * Implementation of the core: not exported (only to {@code io.blnk.auth.servlet}), not API.
 * Everything here may change without notice.
 *
 * <p>Only what must cross a package or module boundary lives here: {@code LogText} (core's logging
 * and the servlet filter), {@code Messages} (the key, scope and root packages), {@code
 * ScopeCompiler} and {@code ScopeMatcher} (the scope package's compiled form, used by the
 * authenticator and principals). Implementation with a single user is package-private beside it
 * instead ({@code CoreArchitectureTest} holds this list).
 */
package io.blnk.auth.internal;
