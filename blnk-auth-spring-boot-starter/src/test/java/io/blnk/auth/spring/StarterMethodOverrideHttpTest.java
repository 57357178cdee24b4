package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * With Spring's method-override filter on, a form {@code POST} with {@code _method=DELETE} is a
 * delete, and the filter (ordered after it) authorizes it as one.
 */
@SpringBootTest(
    classes = TestApps.Secured.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "blnk.auth.master-key=" + TestApps.MASTER_KEY,
      "spring.mvc.hiddenmethod.filter.enabled=true"
    })
final class StarterMethodOverrideHttpTest extends AbstractStarterHttpTest {

  @Test
  void aWriteKeyCannotDeleteThroughAnOverriddenPost() {
    Http.Response r =
        http.send("POST", "/ledgers/ldg_1", key("ledgers:write"), "_method=DELETE",
            "application/x-www-form-urlencoded");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
    assertThat(r.json().path("error").asText()).isEqualTo("Insufficient permissions for ledgers:delete");
  }

  @Test
  void aDeleteKeyDeletesThroughAnOverriddenPost() {
    Http.Response r =
        http.send("POST", "/ledgers/ldg_1", key("ledgers:delete"), "_method=DELETE",
            "application/x-www-form-urlencoded");
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
  }
}
