package io.blnk.auth.scope;

import java.util.Objects;

/**
 * A resource known to a {@link ResourceRegistry}: a name such as {@code ledgers}, whether only the
 * master key may use it, and its slot in the registry's compiled form.
 *
 * <p>Obtain instances from {@link ResourceRegistry#find(String)}. Immutable and thread-safe.
 *
 * @param name the resource name as used in scopes
 * @param masterOnly whether only the master key may touch this resource
 * @param index this resource's position in its registry
 */
public record Resource(String name, boolean masterOnly, int index) {

  /**
   * Validates the name against the scope grammar.
   *
   * @throws IllegalArgumentException if the name is not a valid scope resource name or the index
   *     is negative
   */
  public Resource {
    Objects.requireNonNull(name, "name");
    if (!Scope.isName(name)) {
      throw new IllegalArgumentException(
          "invalid resource name " + Scope.quote(name) + ": expected [a-z0-9]+(-[a-z0-9]+)*");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
