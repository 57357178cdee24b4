/**
 * Scopes in {@code resource:action} form: the strict grammar, the resource registry, the
 * coverage and delegation rules, and the compiled matcher used on the request path.
 */
package io.blnk.auth.scope;
