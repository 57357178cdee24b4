package io.blnk.auth.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link MasterKeyException} into Spring Boot's failure report: what is wrong and how to
 * generate and set a strong key. Registered in {@code META-INF/spring.factories}. Stateless.
 */
final class MasterKeyFailureAnalyzer extends AbstractFailureAnalyzer<MasterKeyException> {

  static final String ACTION =
      "Generate a strong master key, e.g. with\n\n"
          + "    openssl rand -base64 48\n\n"
          + "and set it as the property blnk.auth.master-key (environment variable"
          + " BLNK_AUTH_MASTER_KEY) or Blnk's BLNK_SERVER_SECRET_KEY. Keep it out of source"
          + " control. To run without authentication (development only), set"
          + " blnk.auth.secure=false.";

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MasterKeyException cause) {
    return new FailureAnalysis(
        "blnk-auth refused to start in secure mode: " + cause.getMessage(), ACTION, cause);
  }
}
