/**
 * Micrometer meters ({@code blnk.auth.decisions}, {@code blnk.auth.hash.verifications}, {@code
 * blnk.auth.store.failures}) and the {@code blnkAuth} Actuator health indicator.
 */
package io.blnk.auth.spring.actuate;
