package io.blnk.auth.internal;

import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ScopeSet;

/**
 * A {@link ScopeSet} compiled for one registry: the request path's form of a key's scopes. The
 * implementation is package-private in {@code io.blnk.auth.scope}; core's other packages reach it
 * through {@link ScopeCompiler}. Not API. Implementations are immutable and thread-safe.
 */
public interface ScopeMatcher {

  /**
   * Whether the scopes allow {@code action} on {@code resource}; allocation-free for the
   * registry's own resources.
   *
   * @param resource the resource, normally one of the registry compiled for
   * @param action the action
   * @return whether a scope covers it
   */
  boolean allows(Resource resource, Action action);

  /**
   * The scopes this was compiled from.
   *
   * @return equal members, possibly the registry's shared instances
   */
  ScopeSet scopes();
}
