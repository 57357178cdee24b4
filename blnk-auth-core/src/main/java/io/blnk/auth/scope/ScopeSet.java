package io.blnk.auth.scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The scopes a key holds, without duplicates and in the order first given.
 *
 * <p>A set covers a requested scope iff one member covers it. Delegation is allowed iff the
 * granting set covers every requested scope ({@link #coversAll}). The request path uses the form
 * compiled for a {@link ResourceRegistry}. Immutable and thread-safe.
 *
 * @param scopes the members, in order, each once
 */
public record ScopeSet(List<Scope> scopes) {

  /** The empty set, which covers nothing. */
  public static final ScopeSet EMPTY = new ScopeSet(List.of());

  /**
   * Copies the members, dropping later duplicates.
   *
   * @param scopes the members, in order; later duplicates are dropped
   * @throws NullPointerException if the list or a member is null
   */
  public ScopeSet {
    Objects.requireNonNull(scopes, "scopes");
    scopes = List.copyOf(new LinkedHashSet<>(scopes));
  }

  /**
   * A set of the given scopes.
   *
   * @param scopes the members, in order; later duplicates are dropped
   * @return the set
   * @throws NullPointerException if the array or a member is null
   */
  public static ScopeSet of(Scope... scopes) {
    return new ScopeSet(List.of(scopes));
  }

  /**
   * Parses every string with {@link Scope#parse}.
   *
   * @param texts the scopes in canonical form, e.g. {@code ["ledgers:read", "balances:*"]}
   * @return the set, in the order given, later duplicates dropped
   * @throws IllegalArgumentException naming the first invalid scope
   * @throws NullPointerException if the collection or an element is null
   */
  public static ScopeSet parse(Collection<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<Scope> parsed = new ArrayList<>(texts.size());
    for (String text : texts) {
      parsed.add(Scope.parse(text));
    }
    return new ScopeSet(parsed);
  }

  /**
   * Whether some member covers {@code requested} ({@link Scope#covers}).
   *
   * @param requested the scope asked for
   * @return whether this set grants it
   * @throws NullPointerException if {@code requested} is null and the set is not empty
   */
  public boolean covers(Scope requested) {
    for (Scope granted : scopes) {
      if (granted.covers(requested)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every member of {@code requested} is covered: the delegation rule (a key may grant
   * only what it holds).
   *
   * @param requested the scopes asked for
   * @return whether this set grants all of them; true for an empty {@code requested}
   * @throws NullPointerException if {@code requested} is null
   */
  public boolean coversAll(ScopeSet requested) {
    for (Scope scope : requested.scopes) {
      if (!covers(scope)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The first member of {@code requested} this set does not cover, to name in a refusal.
   *
   * @param requested the scopes asked for
   * @return the first scope not covered, or empty when {@link #coversAll} holds
   * @throws NullPointerException if {@code requested} is null
   */
  public java.util.Optional<Scope> firstUncovered(ScopeSet requested) {
    for (Scope scope : requested.scopes) {
      if (!covers(scope)) {
        return java.util.Optional.of(scope);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Whether the set has no members.
   *
   * @return true for a set that covers nothing
   */
  public boolean isEmpty() {
    return scopes.isEmpty();
  }

  /**
   * The canonical strings of the members, in order.
   *
   * @return an unmodifiable list, e.g. {@code ["ledgers:read"]}
   */
  public List<String> toStrings() {
    List<String> out = new ArrayList<>(scopes.size());
    for (Scope s : scopes) {
      out.add(s.toString());
    }
    return List.copyOf(out);
  }

  /**
   * Compiles this set for {@code registry}, answering {@code allows} without string work. Outside
   * this package: {@link io.blnk.auth.internal.ScopeCompiler}.
   */
  CompiledScopes compile(ResourceRegistry registry) {
    return CompiledScopes.compile(this, registry);
  }

  @Override
  public String toString() {
    return scopes.toString();
  }
}
