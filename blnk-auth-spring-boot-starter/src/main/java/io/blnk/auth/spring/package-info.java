/**
 * Spring Boot auto-configuration of blnk-auth: {@link io.blnk.auth.spring.BlnkAuthProperties}
 * ({@code blnk.auth.*}), {@link io.blnk.auth.spring.BlnkAuthAutoConfiguration} (key store, library,
 * filter registration), the request gate shared with the Spring Security bridge, and the
 * master-key failure analysis.
 */
package io.blnk.auth.spring;
