package io.blnk.auth.spring;

import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The HTTP behaviours on the machine's PostgreSQL, in a schema of their own, with Spring Security. */
@SpringBootTest(
    classes = TestApps.Secured.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "blnk.auth.master-key=" + TestApps.MASTER_KEY)
final class StarterPostgresHttpTest extends AbstractStarterHttpTest {

  private static String schema;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    schema = TestDatabases.createPostgresSchema();
    registry.add("spring.datasource.url", () -> TestDatabases.POSTGRES_URL);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("blnk.auth.jdbc.table-name", () -> schema + ".blnk_api_keys");
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      TestDatabases.dropPostgresSchema(schema);
    }
  }
}
