package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §8: the catalogue's statuses and Blnk's exact messages. */
final class ErrorCodeTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "AUTH_MISSING_API_KEY          | 401 | Authentication required. Use X-Blnk-Key header",
        "AUTH_INVALID_API_KEY          | 401 | Invalid API key",
        "AUTH_EXPIRED_API_KEY          | 401 | API key is expired or revoked",
        "AUTH_MISSING_PRINCIPAL        | 401 | ",
        "AUTH_INSUFFICIENT_PERMISSIONS | 403 | ",
        "AUTH_UNKNOWN_RESOURCE         | 403 | Unknown resource type",
        "AUTH_MASTER_KEY_REQUIRED      | 403 | ",
        "AUTH_CROSS_OWNER_ACCESS       | 403 | ",
        "AUTH_SCOPE_ESCALATION         | 403 | ",
        "AUTH_INVALID_SIGNATURE        | 401 | ",
        "APIKEY_NOT_FOUND              | 404 | ",
        "APIKEY_OWNER_REQUIRED         | 400 | ",
        "APIKEY_INVALID                | 400 | ",
        "GEN_MALFORMED_REQUEST         | 400 | ",
        "GEN_PAYLOAD_TOO_LARGE         | 413 | ",
        "GEN_UNSUPPORTED_MEDIA_TYPE    | 415 | ",
        "GEN_METHOD_NOT_ALLOWED        | 405 | ",
        "APIKEY_LIMIT_EXCEEDED         | 409 | ",
        "GEN_RATE_LIMITED              | 429 | ",
        "AUTH_USAGE_EXCEEDED           | 429 | ",
        "AUTH_STORE_UNAVAILABLE        | 503 | ",
        "AUTH_DISABLED_API_KEY         | 401 | API key is disabled",
        "AUTH_IP_NOT_ALLOWED           | 403 | ",
        "GEN_INTERNAL                  | 500 | ",
      })
  void everyCodeHasItsStatusAndBlnksExactMessages(String code, int status, String exact) {
    ErrorCode error = ErrorCode.valueOf(code);

    assertThat(error.httpStatus()).isEqualTo(status);
    assertThat(error.defaultMessage()).isNotBlank();
    if (exact != null) {
      assertThat(error.defaultMessage()).isEqualTo(exact);
    }
  }

  @Test
  void theCatalogueHasTheSpecsCodesAndTheAdditionsOfTheHardeningLifecycleAndUsageIssues() {
    assertThat(ErrorCode.values()).hasSize(24);
  }

  @Test
  void insufficientPermissionsNamesResourceAndAction() {
    assertThat(ErrorCode.insufficientPermissions("ledgers", "write"))
        .isEqualTo("Insufficient permissions for ledgers:write");
  }
}
