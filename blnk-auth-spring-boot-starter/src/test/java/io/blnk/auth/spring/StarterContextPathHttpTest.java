package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The HTTP behaviours under a servlet context path, with Spring Security. */
@SpringBootTest(
    classes = TestApps.Secured.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"blnk.auth.master-key=" + TestApps.MASTER_KEY, "server.servlet.context-path=/ctx"})
final class StarterContextPathHttpTest extends AbstractStarterHttpTest {

  @Override
  String contextPath() {
    return "/ctx";
  }

  @Test
  void resourcesAreMatchedInsideTheContext() {
    String key = key("ledgers:read");
    assertThat(Http.at(port, "").get("/ctx/ledgers", key).status()).isEqualTo(200);
    assertThat(Http.at(port, "").get("/ctx/balances/whoami", key).code())
        .isEqualTo("AUTH_INSUFFICIENT_PERMISSIONS");
  }
}
