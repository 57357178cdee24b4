/**
 * The Spring Security bridge: {@link io.blnk.auth.spring.security.BlnkAuthentication} in the
 * {@code SecurityContext}, {@link io.blnk.auth.spring.security.BlnkHttpSecurityCustomizer} for
 * every filter chain, and the default stateless chain.
 */
package io.blnk.auth.spring.security;
