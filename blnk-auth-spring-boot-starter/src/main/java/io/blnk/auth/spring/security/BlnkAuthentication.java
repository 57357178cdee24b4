package io.blnk.auth.spring.security;

import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by an {@code X-Blnk-Key}, as Spring Security sees it. {@link
 * #getPrincipal()} is the {@link BlnkPrincipal} (so {@code @AuthenticationPrincipal BlnkPrincipal}
 * works), {@link #getName()} the key's id or {@code master}, and the authorities are:
 *
 * <ul>
 *   <li>each of the key's scopes as written, e.g. {@code ledgers:*};
 *   <li>each {@code resource:action} of the registry the key covers, e.g. {@code ledgers:write} for
 *       a key holding {@code ledgers:*}, so {@code hasAuthority('ledgers:write')} is exactly the
 *       filter's own rule;
 *   <li>{@value #MASTER_AUTHORITY} for the master key (which also covers every {@code
 *       resource:action}).
 * </ul>
 *
 * <p>No credentials are kept. Authorities are computed on first use. Not thread-safe, like any
 * request-scoped {@code Authentication}.
 */
public final class BlnkAuthentication extends AbstractAuthenticationToken {

  private static final long serialVersionUID = 1L;

  /** The authority only the master key holds. */
  public static final String MASTER_AUTHORITY = "BLNK_MASTER";

  private final transient BlnkPrincipal principal;
  private final transient ResourceRegistry registry;
  private transient List<GrantedAuthority> authorities;

  /**
   * An authenticated token for a granted principal.
   *
   * @param principal who presented the key
   * @param registry the resources, to expand wildcard scopes into authorities
   */
  public BlnkAuthentication(BlnkPrincipal principal, ResourceRegistry registry) {
    super(List.of());
    this.principal = Objects.requireNonNull(principal, "principal");
    this.registry = Objects.requireNonNull(registry, "registry");
    super.setAuthenticated(true);
  }

  /** Authorities as described in the class comment. */
  @Override
  public Collection<GrantedAuthority> getAuthorities() {
    if (authorities == null) {
      authorities = authoritiesOf(principal, registry);
    }
    return authorities;
  }

  static List<GrantedAuthority> authoritiesOf(BlnkPrincipal principal, ResourceRegistry registry) {
    Set<String> names = new LinkedHashSet<>();
    if (principal.isMaster()) {
      names.add(MASTER_AUTHORITY);
    }
    for (Scope s : principal.scopes().scopes()) {
      names.add(s.toString());
    }
    for (Resource r : registry.resources()) {
      for (Action a : Action.values()) {
        if (principal.allows(r, a)) {
          names.add(r.name() + ':' + a.token());
        }
      }
    }
    List<GrantedAuthority> out = new ArrayList<>(names.size());
    for (String n : names) {
      out.add(new SimpleGrantedAuthority(n));
    }
    return List.copyOf(out);
  }

  /** Always empty: the key is never kept. */
  @Override
  public Object getCredentials() {
    return "";
  }

  /** The {@link BlnkPrincipal}. */
  @Override
  public BlnkPrincipal getPrincipal() {
    return principal;
  }

  /** The key's id, or {@code master}. */
  @Override
  public String getName() {
    return principal.getName();
  }

  /**
   * Refuses to be marked authenticated again; {@code false} is allowed.
   *
   * @throws IllegalArgumentException if {@code authenticated} is true
   */
  @Override
  public void setAuthenticated(boolean authenticated) {
    if (authenticated) {
      throw new IllegalArgumentException("a BlnkAuthentication is authenticated when created");
    }
    super.setAuthenticated(false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlnkAuthentication other
        && principal.equals(other.principal)
        && isAuthenticated() == other.isAuthenticated();
  }

  @Override
  public int hashCode() {
    return principal.hashCode();
  }

  @Override
  public String toString() {
    return "BlnkAuthentication[" + principal + "]";
  }
}
