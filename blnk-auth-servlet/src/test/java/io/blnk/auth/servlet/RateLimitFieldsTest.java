package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.Admission;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.usage.RateLimit;
import io.blnk.auth.usage.UsagePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code RateLimit-Policy} and {@code RateLimit} response fields. */
final class RateLimitFieldsTest {

  @Test
  void oneMemberPerLimitInOrder() {
    List<Admission.LimitState> limits =
        List.of(new Admission.LimitState("default", 100, 1, 42, 1), new Admission.LimitState("owner", 1000, 60, 990, 7));
    assertThat(RateLimitFields.policy(limits)).isEqualTo("\"default\";q=100;w=1, \"owner\";q=1000;w=60");
    assertThat(RateLimitFields.state(limits)).isEqualTo("\"default\";r=42;t=1, \"owner\";r=990;t=7");
    List<Admission.LimitState> one = List.of(new Admission.LimitState("a", 5, 3600, 0, 3599));
    assertThat(RateLimitFields.policy(one)).isEqualTo("\"a\";q=5;w=3600");
    assertThat(RateLimitFields.state(one)).isEqualTo("\"a\";r=0;t=3599");
    assertThat(RateLimitFields.policy(List.of())).isEmpty();
    assertThat(RateLimitFields.state(List.of())).isEmpty();
  }

  @Test
  void nothingIsWrittenWithoutAnAdmissionOrLimits() {
    Fakes.Request request = new Fakes.Request();
    Fakes.Response response = new Fakes.Response();
    RateLimitFields.write(request.build(), response.build());
    assertThat(response.headers).isEmpty();

    request.attributes.put(RateLimitFields.ATTRIBUTE, "not an admission");
    RateLimitFields.write(request.build(), response.build());
    assertThat(response.headers).isEmpty();

    request.attributes.put(RateLimitFields.ATTRIBUTE, Admission.unlimited());
    RateLimitFields.write(request.build(), response.build());
    assertThat(response.headers).isEmpty();
  }

  @Test
  void aKeysLimitsAreWrittenAfterEachRequest() {
    try (BlnkAuth auth = FilterSettingsTest.auth()) {
      CreatedKey k = auth.keys().create(BlnkPrincipal.master(),
          CreateKeyRequest.builder().name("k").owner("team").scopes("ledgers:read")
              .expiresAt(auth.clock().instant().plus(Duration.ofDays(1)))
              .usage(new UsagePolicy(
                  List.of(new RateLimit("default", 3, Duration.ofSeconds(10)), new RateLimit("hourly", 50, Duration.ofHours(1))),
                  Optional.empty()))
              .build()).orElseThrow();
      BlnkPrincipal p = ((AuthResult.Granted) auth.authenticate(k.plaintext().reveal(), "")).principal();

      Fakes.Request request = new Fakes.Request();
      request.attributes.put(RateLimitFields.ATTRIBUTE, auth.admit(p, 1));
      Fakes.Response response = new Fakes.Response();
      RateLimitFields.write(request.build(), response.build());
      assertThat(response.headers)
          .containsEntry("RateLimit-Policy", "\"default\";q=3;w=10, \"hourly\";q=50;w=3600")
          .hasSize(2);
      assertThat(response.headers.get("RateLimit")).matches("\"default\";r=2;t=\\d+, \"hourly\";r=49;t=\\d+");
    }
  }
}
