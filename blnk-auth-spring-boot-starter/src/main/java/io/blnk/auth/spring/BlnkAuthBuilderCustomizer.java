package io.blnk.auth.spring;

import io.blnk.auth.BlnkAuth;

/**
 * Customizes the {@link BlnkAuth.Builder} of the auto-configured {@link BlnkAuth} after the {@code
 * blnk.auth.*} properties were applied, in {@link org.springframework.core.annotation.Order}. For
 * settings that are code rather than values and that no property sets: a clock, the randomness,
 * a decorated store or hasher (the {@code KeyStore} and {@code KeyHasher} beans are set after the
 * customizers, unless one of them set its own). Each builder option may be set once: the
 * registry, the listener and every property-backed option are already set, and a second call
 * throws {@link IllegalStateException} naming the option.
 *
 * <p>Called once, at start-up, on one thread.
 */
@FunctionalInterface
public interface BlnkAuthBuilderCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the builder, with the registry, listener and properties set; the store and
   *     hasher follow unless set here
   */
  void customize(BlnkAuth.Builder builder);
}
