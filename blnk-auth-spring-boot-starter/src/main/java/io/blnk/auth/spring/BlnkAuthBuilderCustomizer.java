package io.blnk.auth.spring;

import io.blnk.auth.BlnkAuth;

/**
 * Customizes the {@link BlnkAuth.Builder} of the auto-configured {@link BlnkAuth} after the {@code
 * blnk.auth.*} properties were applied, in {@link org.springframework.core.annotation.Order}. For
 * settings that are code rather than values: a clock, a registry, a decorated store or hasher.
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
