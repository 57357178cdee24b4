package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Under {@code spring.mvc.servlet.path=/api} the starter passes the DispatcherServlet's path to
 * the filter as its API base path, so {@code /api/ledgers} is the {@code ledgers} resource and
 * {@code /api/api-keys} the key endpoints.
 */
@SpringBootTest(
    classes = TestApps.Secured.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"blnk.auth.master-key=" + TestApps.MASTER_KEY, "spring.mvc.servlet.path=/api"})
final class StarterServletPathHttpTest extends AbstractStarterHttpTest {

  @Override
  String contextPath() {
    return "/api";
  }

  @Test
  void theDispatcherServletPathIsTheApiRoot() {
    assertThat(Http.at(port, "").get("/api/ledgers", key("ledgers:read")).status()).isEqualTo(200);
    assertThat(Http.at(port, "").get("/ledgers", TestApps.MASTER_KEY).status()).isEqualTo(404);
  }

  @Test
  void theKeyEndpointsAndPublicPathsAreUnderTheApiRoot() {
    Http root = Http.at(port, "");
    assertThat(root.get("/api/health", null).status()).isEqualTo(200);
    Http.Response list = root.get("/api/api-keys?owner=" + owner, TestApps.MASTER_KEY);
    assertThat(list.status()).as(list.toString()).isEqualTo(200);
    assertThat(root.get("/api-keys?owner=" + owner, TestApps.MASTER_KEY).status()).isEqualTo(404);
  }
}
