package io.blnk.auth.spring.security;

import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.spring.BlnkAuthAutoConfiguration;
import io.blnk.auth.spring.BlnkRequestGate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The Spring Security bridge, when Spring Security is on the class path of a servlet application:
 * a {@link BlnkHttpSecurityCustomizer} bean (applied to every {@code HttpSecurity}), and, unless
 * the application defines a {@link SecurityFilterChain} of its own, a stateless chain in which
 * blnk-auth decides every request (in place of Spring Boot's form-login default).
 *
 * <p>Instantiated by Spring, which calls each bean method once at start-up; not meant to be
 * called by applications.
 */
@AutoConfiguration(
    after = BlnkAuthAutoConfiguration.class,
    beforeName = {
      "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
      "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
    })
@ConditionalOnClass({HttpSecurity.class, SecurityFilterChain.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(BlnkRequestGate.class)
public final class BlnkSecurityAutoConfiguration {

  /**
   * Adds blnk-auth to every chain built from Spring Security's {@code HttpSecurity} bean.
   *
   * @param gate the gate that decides each request once
   * @param registry the resource registry, for the authorities of wildcard scopes
   * @return the customizer
   */

  @Bean
  @ConditionalOnMissingBean
  public BlnkHttpSecurityCustomizer blnkHttpSecurityCustomizer(
      BlnkRequestGate gate, ResourceRegistry registry) {
    return new BlnkHttpSecurityCustomizer(gate, registry);
  }

  /** The default chain, when the application has none. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  @EnableWebSecurity // as Spring Boot's own; imported once however many configurations ask
  static class DefaultChainConfiguration {

    /**
     * Stateless, no CSRF (keys, not cookies), every request permitted by Spring Security because
     * blnk-auth has already decided it; Spring Security's own refusals in Blnk's envelope.
     */
    @Bean
    @Order(2147483642) // SecurityFilterProperties.BASIC_AUTH_ORDER, as Spring Boot's own default
    SecurityFilterChain blnkSecurityFilterChain(HttpSecurity http, BlnkHttpSecurityCustomizer blnk)
        throws Exception {
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
      http.csrf(c -> c.disable());
      http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
      http.requestCache(c -> c.disable());
      http.exceptionHandling(
          e -> e.authenticationEntryPoint(blnk.errors()).accessDeniedHandler(blnk.errors()));
      return http.build();
    }
  }
}
