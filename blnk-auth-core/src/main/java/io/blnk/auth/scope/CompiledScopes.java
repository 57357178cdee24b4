package io.blnk.auth.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ScopeSet} compiled for one {@link ResourceRegistry}: one action bit mask per resource
 * plus one for {@code *}, so {@link #allows} is two array reads and a mask.
 *
 * <p>Immutable and thread-safe.
 */
public final class CompiledScopes {

  private static final int ALL_ACTIONS = (1 << Action.values().length) - 1;

  private final ScopeSet source;
  private final int anyResourceMask;
  private final byte[] masks;

  private CompiledScopes(ScopeSet source, int anyResourceMask, byte[] masks) {
    this.source = source;
    this.anyResourceMask = anyResourceMask;
    this.masks = masks;
  }

  static CompiledScopes compile(ScopeSet scopes, ResourceRegistry registry) {
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(registry, "registry");
    int any = 0;
    byte[] masks = new byte[registry.size()];
    List<Scope> shared = new ArrayList<>(scopes.scopes().size());
    for (Scope scope : scopes.scopes()) {
      shared.add(registry.shared(scope));
      int actions = scope.anyAction() ? ALL_ACTIONS : Action.fromToken(scope.action()).get().bit();
      if (scope.anyResource()) {
        any |= actions;
      } else {
        // A scope for a resource the registry lacks can never match a request.
        registry.find(scope.resource()).ifPresent(r -> masks[r.index()] |= (byte) actions);
      }
    }
    // Keep the registry's shared, equal scopes: a cached key then holds no scope strings of its own.
    return new CompiledScopes(new ScopeSet(shared), any, masks);
  }

  /**
   * Whether the scopes allow {@code action} on {@code resource}. Allocation-free.
   *
   * @param resource a resource of the registry this set was compiled for
   */
  public boolean allows(Resource resource, Action action) {
    int index = resource.index();
    int mask = anyResourceMask | (index < masks.length ? masks[index] : 0);
    return (mask & action.bit()) != 0;
  }

  /** The scopes this was compiled from (equal members, possibly shared instances). */
  public ScopeSet scopes() {
    return source;
  }

  @Override
  public String toString() {
    return "CompiledScopes" + source;
  }
}
