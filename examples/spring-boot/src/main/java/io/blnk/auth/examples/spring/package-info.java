/** The example ledger as a Spring Boot application secured by blnk-auth-spring-boot-starter. */
package io.blnk.auth.examples.spring;
