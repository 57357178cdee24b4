package io.blnk.auth.spring.security;

import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.spring.BlnkRequestGate;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Adds blnk-auth to a Spring Security filter chain. As a bean, Spring Security applies it to every
 * {@code HttpSecurity} it hands out, so chains the application writes itself get it too; call
 * {@code http.with(...)}-style by hand as {@code customizer.customize(http)} for an {@code
 * HttpSecurity} built otherwise. It:
 *
 * <ul>
 *   <li>decides the request with the {@link BlnkAuthFilter} before Spring Security's authorization
 *       (just before the anonymous filter), so refusals carry the headers Spring Security writes
 *       and keep Blnk's JSON envelope;
 *   <li>puts a granted key into the {@code SecurityContext} as a {@link BlnkAuthentication};
 *   <li>exempts requests carrying {@code X-Blnk-Key} from CSRF protection (no cookie is involved);
 *   <li>answers Spring Security's own 401 and 403 for such requests in Blnk's envelope.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class BlnkHttpSecurityCustomizer implements Customizer<HttpSecurity> {

  private static final RequestMatcher HAS_KEY =
      (HttpServletRequest r) -> r.getHeader(BlnkAuthFilter.HEADER) != null;

  private final BlnkRequestGate gate;
  private final ResourceRegistry registry;
  private final BlnkErrorResponses errors = new BlnkErrorResponses();

  /**
   * A customizer.
   *
   * @param gate the starter's request gate
   * @param registry the resources, for the authorities of wildcard scopes
   */
  public BlnkHttpSecurityCustomizer(BlnkRequestGate gate, ResourceRegistry registry) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void customize(HttpSecurity http) {
    try {
      http.addFilterBefore(new BlnkSecurityFilter(gate, registry), AnonymousAuthenticationFilter.class);
      http.csrf(csrf -> csrf.ignoringRequestMatchers(HAS_KEY));
      http.exceptionHandling(
          e ->
              e.defaultAuthenticationEntryPointFor(errors, HAS_KEY)
                  .defaultAccessDeniedHandlerFor(errors, HAS_KEY));
    } catch (Exception e) {
      throw new IllegalStateException("could not add blnk-auth to the security filter chain", e);
    }
  }

  /** The entry point and access-denied handler answering in Blnk's envelope. */
  BlnkErrorResponses errors() {
    return errors;
  }

  @Override
  public String toString() {
    return "BlnkHttpSecurityCustomizer[" + gate + "]";
  }
}
