package io.blnk.auth.scope;

import io.blnk.auth.internal.ScopeMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ScopeSet} compiled for one {@link ResourceRegistry}: one action bit mask per resource
 * plus one for {@code *}, so {@link #allows} is two array reads and a mask.
 *
 * <p>Package-private: core's other packages see it as an {@link ScopeMatcher}, compiled through
 * {@link io.blnk.auth.internal.ScopeCompiler}. Immutable and thread-safe.
 */
final class CompiledScopes implements ScopeMatcher {

  private static final int ALL_ACTIONS = (1 << Action.values().length) - 1;

  private final ScopeSet source;
  private final ResourceRegistry registry;
  /**
   * The registry's resources by index (the registry's own array, shared by every compiled set):
   * {@link #allows} trusts a slot only for its own resource.
   */
  private final Resource[] resources;
  private final int anyResourceMask;
  private final byte[] masks;

  private CompiledScopes(
      ScopeSet source, ResourceRegistry registry, int anyResourceMask, byte[] masks) {
    this.source = source;
    this.registry = registry;
    this.resources = registry.slots();
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
    return new CompiledScopes(new ScopeSet(shared), registry, any, masks);
  }

  /**
   * Whether the scopes allow {@code action} on {@code resource}. Allocation-free for the
   * registry's own resources (two array reads and a mask); any other {@code Resource} (from another
   * registry, or built by hand) is judged by its name, never by the slot its index points at.
   *
   * @param resource the resource, normally one of the registry this set was compiled for
   * @param action the action
   * @return whether a scope covers it
   */
  @Override
  public boolean allows(Resource resource, Action action) {
    int index = resource.index();
    int mask = anyResourceMask;
    if (index < resources.length && resources[index] == resource) {
      mask |= masks[index];
    } else {
      mask |= maskByName(resource.name());
    }
    return (mask & action.bit()) != 0;
  }

  private int maskByName(String name) {
    Optional<Resource> own = registry.find(name);
    return own.isPresent() ? masks[own.get().index()] : 0;
  }

  /** The scopes this was compiled from (equal members, possibly shared instances). */
  @Override
  public ScopeSet scopes() {
    return source;
  }

  @Override
  public String toString() {
    return "CompiledScopes" + source;
  }
}
