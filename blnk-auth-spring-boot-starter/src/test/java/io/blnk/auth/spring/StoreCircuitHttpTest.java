package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The store circuit through the real server: an outage opens it; the {@code blnkAuth} health is
 * DOWN while it is open, even once the store answers a probe again; the state gauge follows it,
 * and the refused-calls counter counts the calls it refused at once. The circuit stays open for
 * the whole test ({@code blnk.auth.store.retry-after=10m}), so no timing is asserted.
 */
@SpringBootTest(
    classes = TestApps.Actuated.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "blnk.auth.master-key=" + TestApps.MASTER_KEY,
      "management.endpoints.web.exposure.include=health,metrics",
      "management.endpoint.health.show-details=always",
      "blnk.auth.store.retry-after=10m"
    })
@DirtiesContext
final class StoreCircuitHttpTest {

  @LocalServerPort int port;
  @Autowired SwitchableDataSource dataSource;
  @Autowired MeterRegistry meters;
  @Autowired MutableClock clock;

  @Test
  void anOutageOpensTheCircuitWhichTheHealthAndTheMetersReport() {
    Http http = Http.at(port, "");
    dataSource.fail(false);
    assertThat(state("closed")).isEqualTo(1);
    assertThat(state("open")).isZero();
    JsonNode health = blnkHealth(http);
    assertThat(health.path("status").asText()).isEqualTo("UP");
    assertThat(health.path("details").path("circuit").asText()).isEqualTo("CLOSED");

    String first = key(http, "ledgers:read");
    String second = key(http, "ledgers:read");
    dataSource.fail(true);
    Http.Response outage = http.get("/ledgers", first);
    assertThat(outage.status()).isEqualTo(503);
    assertThat(outage.code()).isEqualTo("AUTH_STORE_UNAVAILABLE");
    assertThat(state("open")).isEqualTo(1);
    assertThat(state("closed")).isZero();

    dataSource.fail(false); // the store answers again, but the circuit waits for its retry-after
    Http.Response down = http.get("/actuator/health", null);
    assertThat(down.status()).isEqualTo(503);
    JsonNode component = down.json().path("components").path("blnkAuth");
    assertThat(component.path("status").asText()).isEqualTo("DOWN");
    assertThat(component.path("details").path("circuit").asText()).isEqualTo("OPEN");
    assertThat(component.path("details").path("store").asText()).isEqualTo("reachable");

    double refusedBefore = refused();
    Http.Response refusedAtOnce = http.get("/ledgers", second);
    assertThat(refusedAtOnce.code()).isEqualTo("AUTH_STORE_UNAVAILABLE");
    assertThat(refusedAtOnce.header("Retry-After")).isNotBlank();
    assertThat(refused() - refusedBefore).isGreaterThanOrEqualTo(1);
    assertThat(http.get("/ledgers", TestApps.MASTER_KEY).status()).isEqualTo(200);
  }

  private String key(Http http, String... scopes) {
    String expires = clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS).toString();
    Http.Response r =
        http.post("/api-keys", TestApps.MASTER_KEY,
            "{\"name\":\"t\",\"owner\":\"circuit-owner\",\"scopes\":[\"" + String.join("\",\"", scopes)
                + "\"],\"expires_at\":\"" + expires + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().path("key").asText();
  }

  private static JsonNode blnkHealth(Http http) {
    return http.get("/actuator/health", null).json().path("components").path("blnkAuth");
  }

  private double state(String state) {
    Gauge g = meters.find("blnk.auth.store.circuit.state").tag("state", state).gauge();
    assertThat(g).as("gauge for " + state).isNotNull();
    return g.value();
  }

  private double refused() {
    FunctionCounter c = meters.find("blnk.auth.store.calls.refused").functionCounter();
    assertThat(c).isNotNull();
    return c.count();
  }
}
