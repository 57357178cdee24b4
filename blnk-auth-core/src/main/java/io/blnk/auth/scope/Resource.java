package io.blnk.auth.scope;

import java.util.Objects;

/**
 * A resource known to a {@link ResourceRegistry}: a name such as {@code ledgers}, and whether only
 * the master key may use it.
 *
 * <p>Only a registry makes resources: obtain them from {@link ResourceRegistry#find(String)} or
 * {@link ResourceRegistry#resources()}. The authenticator judges a resource by its own registry's
 * entry of the same name, never by flags a resource from elsewhere carries. Immutable and
 * thread-safe.
 */
public final class Resource {

  private final String name;
  private final boolean masterOnly;
  private final int index;

  /**
   * Validates the name against the scope grammar. Package-private: registries alone issue
   * resources.
   *
   * @throws IllegalArgumentException if the name is not a valid scope resource name or the index
   *     is negative
   */
  Resource(String name, boolean masterOnly, int index) {
    Objects.requireNonNull(name, "name");
    if (!Scope.isName(name)) {
      throw new IllegalArgumentException(
          "invalid resource name " + Scope.quote(name) + ": expected [a-z0-9]+(-[a-z0-9]+)*");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
    this.name = name;
    this.masterOnly = masterOnly;
    this.index = index;
  }

  /**
   * The resource name as used in scopes.
   *
   * @return e.g. {@code "ledgers"}
   */
  public String name() {
    return name;
  }

  /**
   * Whether only the master key may touch this resource.
   *
   * @return true for a master-only resource, such as Blnk's {@code hooks}
   */
  public boolean masterOnly() {
    return masterOnly;
  }

  /**
   * This resource's position in its registry, 0-based, in registration order: an index for
   * per-resource arrays.
   *
   * @return the position, less than the registry's {@link ResourceRegistry#size()}
   */
  public int index() {
    return index;
  }

  /**
   * Resources are equal when name, flag and position are.
   *
   * @param o another object
   * @return whether {@code o} is an equal resource
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Resource other
        && name.equals(other.name)
        && masterOnly == other.masterOnly
        && index == other.index;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, masterOnly, index);
  }

  /**
   * The name.
   *
   * @return the resource name
   */
  @Override
  public String toString() {
    return name;
  }
}
