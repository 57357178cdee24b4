package io.blnk.auth.spring;

import io.blnk.auth.BlnkAuth;

/**
 * Customizes the {@link BlnkAuth.Builder} of the auto-configured {@link BlnkAuth} after the {@code
 * blnk.auth.*} properties were applied, in {@link org.springframework.core.annotation.Order}. For
 * settings that are code rather than values and that no property sets: a clock, the randomness.
 * Each builder option may be set once, and the store, hasher, registry, listener and every
 * property-backed option are already set (a second call throws {@link IllegalStateException}):
 * give a decorated store, hasher or registry as a {@code KeyStore}, {@code KeyHasher} or {@code
 * ResourceRegistry} bean instead.
 *
 * <p>Called once, at start-up, on one thread.
 */
@FunctionalInterface
public interface BlnkAuthBuilderCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the builder, with the store, hasher, registry, listener and properties set
   */
  void customize(BlnkAuth.Builder builder);
}
