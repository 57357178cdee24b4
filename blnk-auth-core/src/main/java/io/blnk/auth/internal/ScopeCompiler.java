package io.blnk.auth.internal;

import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.ScopeSet;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Compiles a {@link ScopeSet} for a {@link ResourceRegistry} on behalf of core's other packages,
 * so that the compiled form stays out of the public API. The scope package installs its compiler
 * once, when {@code ResourceRegistry} is initialised (before any registry exists to compile for).
 * Not API. Thread-safe.
 */
public final class ScopeCompiler {

  private static volatile BiFunction<ScopeSet, ResourceRegistry, ScopeMatcher> compiler;

  private ScopeCompiler() {}

  /**
   * Installs the scope package's compiler; called once by {@code ResourceRegistry}'s static
   * initialiser.
   *
   * @param scopeCompiler the compiler
   * @throws IllegalStateException if a compiler is already installed (a second install would let
   *     other code replace how every key's scopes are judged)
   */
  public static synchronized void install(
      BiFunction<ScopeSet, ResourceRegistry, ScopeMatcher> scopeCompiler) {
    Objects.requireNonNull(scopeCompiler, "scopeCompiler");
    if (compiler != null) {
      throw new IllegalStateException("the scope compiler is installed once");
    }
    compiler = scopeCompiler;
  }

  /**
   * Compiles {@code scopes} for {@code registry}.
   *
   * @param scopes the key's scopes
   * @param registry the registry whose resources requests will name
   * @return the compiled form
   * @throws NullPointerException if an argument is null
   */
  public static ScopeMatcher compile(ScopeSet scopes, ResourceRegistry registry) {
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(registry, "registry"); // an instance: its class installed the compiler
    return compiler.apply(scopes, registry);
  }
}
