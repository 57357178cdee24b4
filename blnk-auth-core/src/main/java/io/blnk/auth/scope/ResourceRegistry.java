package io.blnk.auth.scope;

import io.blnk.auth.internal.ScopeCompiler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The resources a host exposes. A scope naming a resource outside the registry is invalid at key
 * creation, so typos are refused rather than silently granting nothing.
 *
 * <p>{@link #blnkDefaults()} is Blnk's own list, with {@code hooks} master-only. Immutable and
 * thread-safe.
 */
public final class ResourceRegistry {

  /** Blnk's resources, in its documentation's order. */
  public static final List<String> BLNK_RESOURCES =
      List.of(
          "ledgers",
          "balances",
          "accounts",
          "identities",
          "transactions",
          "balance-monitors",
          "hooks",
          "api-keys",
          "search",
          "reconciliation",
          "metadata",
          "backup");

  static {
    // The compiled form of scopes stays package-private; core's authenticator compiles through
    // this. Installed before any registry exists, so before anything can be compiled for one.
    ScopeCompiler.install(CompiledScopes::compile);
  }

  private static final ResourceRegistry DEFAULTS =
      builder().addAll(BLNK_RESOURCES).masterOnly("hooks").build();

  private final List<Resource> resources;
  private final Resource[] slots;
  // Optional values are stored so that lookups on the request path allocate nothing.
  private final Map<String, Optional<Resource>> byName;
  // One shared Scope per resource (and *) and action (and *): compiled sets of many cached keys
  // then hold references to these instead of copies of the same strings.
  private final Map<String, Scope[]> sharedScopes;

  private ResourceRegistry(List<Resource> resources) {
    this.slots = resources.toArray(new Resource[0]);
    this.resources = List.copyOf(resources);
    Map<String, Optional<Resource>> map = new HashMap<>();
    Map<String, Scope[]> shared = new HashMap<>();
    shared.put(Scope.WILDCARD, scopesOf(Scope.WILDCARD));
    for (Resource r : resources) {
      map.put(r.name(), Optional.of(r));
      shared.put(r.name(), scopesOf(r.name()));
    }
    this.byName = Map.copyOf(map);
    this.sharedScopes = Map.copyOf(shared);
  }

  private static Scope[] scopesOf(String resource) {
    Action[] actions = Action.values();
    Scope[] scopes = new Scope[actions.length + 1];
    for (Action a : actions) {
      scopes[a.ordinal()] = Scope.of(resource, a);
    }
    scopes[actions.length] = new Scope(resource, Scope.WILDCARD);
    return scopes;
  }

  /** The resources by index; shared, never to be modified. */
  Resource[] slots() {
    return slots;
  }

  /** This registry's shared instance equal to {@code scope}, or {@code scope} if it has none. */
  Scope shared(Scope scope) {
    Scope[] forResource = sharedScopes.get(scope.resource());
    if (forResource == null) {
      return scope;
    }
    return scope.anyAction()
        ? forResource[forResource.length - 1]
        : forResource[Action.fromToken(scope.action()).orElseThrow().ordinal()];
  }

  /**
   * Blnk's registry: {@link #BLNK_RESOURCES}, with {@code hooks} master-only.
   *
   * @return the shared default registry
   */
  public static ResourceRegistry blnkDefaults() {
    return DEFAULTS;
  }

  /**
   * A builder for a host's own registry, starting empty.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this registry's resources and flags, to extend it: it may add
   * other names and set each copied name's master-only flag once.
   *
   * @return a new builder holding this registry's resources, in order
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (Resource r : resources) {
      b.names.put(r.name(), r.masterOnly());
    }
    return b;
  }

  /**
   * The resource with this exact name. Allocation-free.
   *
   * @param name the resource name, e.g. {@code "ledgers"}
   * @return the resource, or empty when the registry has none of that name (including {@code *})
   */
  public Optional<Resource> find(String name) {
    Optional<Resource> found = byName.get(name);
    return found == null ? Optional.empty() : found;
  }

  /**
   * Whether {@code resource} is this registry's own instance (not one of another registry, even
   * of the same name). Allocation-free.
   *
   * @param resource a resource
   * @return true when this registry issued it
   * @throws NullPointerException if {@code resource} is null
   */
  public boolean issued(Resource resource) {
    int index = resource.index();
    return index < slots.length && slots[index] == resource;
  }

  /**
   * Every resource, in registration order.
   *
   * @return an unmodifiable list
   */
  public List<Resource> resources() {
    return resources;
  }

  /**
   * How many resources the registry holds.
   *
   * @return the number of resources
   */
  public int size() {
    return resources.size();
  }

  /**
   * Checks that a scope names only resources of this registry.
   *
   * @param scope the scope to check
   * @return {@code scope}, when its resource is {@code *} or one of this registry's
   * @throws IllegalArgumentException naming the scope if its resource is unknown
   */
  public Scope requireKnown(Scope scope) {
    if (!scope.anyResource() && !byName.containsKey(scope.resource())) {
      throw new IllegalArgumentException(
          "unknown resource in scope " + Scope.quote(scope.toString()));
    }
    return scope;
  }

  @Override
  public String toString() {
    return "ResourceRegistry" + resources;
  }

  /**
   * Collects resource names. Additive, but each name is added once and its master-only flag set
   * once: adding a name again, or flagging it a second time, throws {@link IllegalStateException}
   * naming it. {@link #build()} copies the names into an immutable registry, so the builder may
   * build again and later calls do not change a registry already built. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Boolean> names = new LinkedHashMap<>();
    /** The names whose master-only flag this builder set (not those {@link #toBuilder} copied). */
    private final Set<String> flagged = new HashSet<>();

    private Builder() {}

    /**
     * Adds a resource, usable by scoped keys, after those added before.
     *
     * @param name the resource name, {@code [a-z0-9]+(-[a-z0-9]+)*}
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if the name breaks the scope grammar
     * @throws IllegalStateException if the builder already holds {@code name}
     */
    public Builder add(String name) {
      checkName(name);
      if (names.containsKey(name)) {
        throw new IllegalStateException("resource " + Scope.quote(name) + " is already added");
      }
      names.put(name, Boolean.FALSE);
      return this;
    }

    /**
     * Adds several resources, as {@link #add} does each, in order.
     *
     * @param more the names
     * @return this builder
     * @throws NullPointerException if {@code more} or a name is null
     * @throws IllegalArgumentException if a name breaks the scope grammar
     * @throws IllegalStateException if a name is already held, or given twice; the names before
     *     it are added
     */
    public Builder addAll(Iterable<String> more) {
      for (String name : more) {
        add(name);
      }
      return this;
    }

    /**
     * Adds {@code name} if needed and marks it master-only: no scoped key may use it.
     *
     * @param name the resource name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if the name breaks the scope grammar
     * @throws IllegalStateException if this builder already set {@code name}'s flag (by {@code
     *     masterOnly} or {@link #notMasterOnly}); a flag copied by {@link
     *     ResourceRegistry#toBuilder()} may be set once
     */
    public Builder masterOnly(String name) {
      return flag(name, Boolean.TRUE);
    }

    /**
     * Adds {@code name} if needed and makes it usable by scoped keys again.
     *
     * @param name the resource name
     * @return this builder
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if the name breaks the scope grammar
     * @throws IllegalStateException if this builder already set {@code name}'s flag (by {@link
     *     #masterOnly} or {@code notMasterOnly}); a flag copied by {@link
     *     ResourceRegistry#toBuilder()} may be set once
     */
    public Builder notMasterOnly(String name) {
      return flag(name, Boolean.FALSE);
    }

    private Builder flag(String name, Boolean masterOnly) {
      checkName(name);
      if (!flagged.add(name)) {
        throw new IllegalStateException(
            "the master-only flag of resource " + Scope.quote(name) + " is already set");
      }
      names.put(name, masterOnly);
      return this;
    }

    private static void checkName(String name) {
      Objects.requireNonNull(name, "name");
      if (!Scope.isName(name)) {
        throw new IllegalArgumentException(
            "invalid resource name " + Scope.quote(name) + ": expected [a-z0-9]+(-[a-z0-9]+)*");
      }
    }

    /**
     * The registry, immutable; the builder may be reused.
     *
     * @return a registry of the resources added, in order
     */
    public ResourceRegistry build() {
      List<Resource> list = new ArrayList<>(names.size());
      for (Map.Entry<String, Boolean> e : names.entrySet()) {
        list.add(new Resource(e.getKey(), e.getValue(), list.size()));
      }
      return new ResourceRegistry(Collections.unmodifiableList(list));
    }
  }
}
