package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.CreatedKey;
import io.blnk.auth.ErrorCode;
import io.blnk.auth.KeyEventLog;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.IpAllowList;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.UsagePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON this module writes: key answers, event pages, error envelopes, and the raw-object reader. */
final class JsonTest {

  private static final Instant CREATED = Instant.parse("2026-03-11T00:00:00Z");

  private static String text(Object value) {
    return new String(Json.bytes(value), StandardCharsets.UTF_8);
  }

  @Test
  void timesAreRfc3339InUtc() {
    assertThat(Json.time(CREATED)).isEqualTo("2026-03-11T00:00:00Z");
    assertThat(Json.time(Instant.parse("2025-11-18T13:39:50.390457Z"))).isEqualTo("2025-11-18T13:39:50.390457Z");
  }

  @Test
  void aKeyIsListedAndCreatedWithEveryFieldInOrder() {
    try (BlnkAuth auth = FilterSettingsTest.auth()) {
      CreatedKey c = auth.keys().create(BlnkPrincipal.master(),
          CreateKeyRequest.builder().name("ci").owner("team-a").scopes("ledgers:read")
              .expiresAt(Instant.parse("2030-01-01T00:00:00Z")).build()).orElseThrow();
      ApiKey fresh = c.apiKey();
      String id = fresh.id().value();
      String prefix = fresh.keyPrefix();
      String created = Json.time(fresh.createdAt());
      Instant now = fresh.createdAt();

      assertThat(text(Json.listed(fresh, now)))
          .isEqualTo("{\"api_key_id\":\"" + id + "\",\"name\":\"ci\",\"owner_id\":\"team-a\",\"scopes\":[\"ledgers:read\"],"
              + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"created_at\":\"" + created + "\","
              + "\"last_used_at\":\"0001-01-01T00:00:00Z\",\"is_revoked\":false,\"rate_limits\":[],\"credits\":null,"
              + "\"revoked_at\":null,\"created_by\":null,\"key_prefix\":\"" + prefix + "\",\"status\":\"active\","
              + "\"disabled_at\":null,\"rotated_from\":null,\"rotated_to\":null,\"meta_data\":null,\"allowed_ips\":[]}");
      assertThat(text(Json.created(c, now)))
          .isEqualTo("{\"api_key_id\":\"" + id + "\",\"key\":\"" + c.plaintext().reveal() + "\",\"name\":\"ci\","
              + "\"owner_id\":\"team-a\",\"scopes\":[\"ledgers:read\"],"
              + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"created_at\":\"" + created + "\","
              + "\"last_used_at\":\"0001-01-01T00:00:00Z\",\"is_revoked\":false,\"rate_limits\":[],\"credits\":null,"
              + "\"key_prefix\":\"" + prefix + "\",\"created_by\":null,\"status\":\"active\","
              + "\"disabled_at\":null,\"rotated_from\":null,\"rotated_to\":null,\"meta_data\":null,\"allowed_ips\":[]}");

      ApiKeyId creator = ApiKeyId.random();
      ApiKeyId from = ApiKeyId.random();
      ApiKeyId to = ApiKeyId.random();
      ApiKey full = fresh.toBuilder()
          .createdBy(Optional.of(creator))
          .lastUsedAt(Optional.of(Instant.parse("2026-03-12T01:02:03.5Z")))
          .revokedAt(Optional.of(Instant.parse("2026-03-13T00:00:00Z")))
          .disabledAt(Optional.of(Instant.parse("2026-03-12T12:00:00Z")))
          .rotatedFrom(Optional.of(from))
          .rotatedTo(Optional.of(to))
          .metaData(Optional.of("{\"team\": \"a\"}"))
          .allowedIps(IpAllowList.of("10.0.0.0/8"))
          .usage(new UsagePolicy(List.of(), Optional.of(Credits.of(3))))
          .build();
      String tail = "\"last_used_at\":\"2026-03-12T01:02:03.500Z\",\"is_revoked\":true,\"rate_limits\":[],"
          + "\"credits\":{\"remaining\":3,\"refill\":null},";
      String lifecycle = "\"status\":\"revoked\",\"disabled_at\":\"2026-03-12T12:00:00Z\","
          + "\"rotated_from\":\"" + from.value() + "\",\"rotated_to\":\"" + to.value() + "\","
          + "\"meta_data\":{\"team\": \"a\"},\"allowed_ips\":[\"10.0.0.0/8\"]}";
      assertThat(text(Json.listed(full, Instant.parse("2026-03-14T00:00:00Z"))))
          .isEqualTo("{\"api_key_id\":\"" + id + "\",\"name\":\"ci\",\"owner_id\":\"team-a\",\"scopes\":[\"ledgers:read\"],"
              + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"created_at\":\"" + created + "\"," + tail
              + "\"revoked_at\":\"2026-03-13T00:00:00Z\",\"created_by\":\"" + creator.value() + "\","
              + "\"key_prefix\":\"" + prefix + "\"," + lifecycle);
      assertThat(text(Json.created(new CreatedKey(full, c.plaintext()), Instant.parse("2026-03-14T00:00:00Z"))))
          .endsWith("\"key_prefix\":\"" + prefix + "\",\"created_by\":\"" + creator.value() + "\"," + lifecycle);
    }
  }

  @Test
  void anEventPageListsEveryFieldAndTheCursor() {
    ApiKeyId key = ApiKeyId.random();
    AuthEvent denied = new AuthEvent(AuthEvent.Type.values()[0], CREATED, Optional.of(key), Optional.of(OwnerId.of("team-a")),
        Optional.of(ErrorCode.APIKEY_INVALID), "blnk_ab", "198.51.100.4", "ledgers:write");
    AuthEvent bare = new AuthEvent(AuthEvent.Type.values()[1], Instant.parse("2026-03-11T00:00:01.25Z"), Optional.empty(),
        Optional.empty(), Optional.empty(), "", "", "");
    assertThat(text(Json.events(new KeyEventLog.Page(List.of(denied, bare), Optional.of("c2")))))
        .isEqualTo("{\"events\":[{\"type\":\"" + AuthEvent.Type.values()[0].name() + "\",\"at\":\"2026-03-11T00:00:00Z\","
            + "\"api_key_id\":\"" + key.value() + "\",\"owner_id\":\"team-a\",\"code\":\"APIKEY_INVALID\","
            + "\"key_prefix\":\"blnk_ab\",\"remote_address\":\"198.51.100.4\",\"detail\":\"ledgers:write\"},"
            + "{\"type\":\"" + AuthEvent.Type.values()[1].name() + "\",\"at\":\"2026-03-11T00:00:01.250Z\","
            + "\"api_key_id\":null,\"owner_id\":null,\"code\":null,"
            + "\"key_prefix\":\"\",\"remote_address\":\"\",\"detail\":\"\"}],\"next_cursor\":\"c2\"}");
    assertThat(text(Json.events(new KeyEventLog.Page(List.of(), Optional.empty()))))
        .isEqualTo("{\"events\":[],\"next_cursor\":null}");
  }

  @Test
  void theRawTextOfATopLevelObjectIsKeptByteForByte() {
    byte[] body = "{\"name\":\"x\",\"nested\":{\"meta_data\":{\"no\":1}},\"list\":[{\"a\":1}],\"meta_data\": { \"é\" : [1, {\"b\":2}] } ,\"z\":1}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Json.rawTopLevelObject(body, "meta_data")).isEqualTo("{ \"é\" : [1, {\"b\":2}] }");
    assertThat(Json.rawTopLevelObject(body, "nested")).isEqualTo("{\"meta_data\":{\"no\":1}}");
    assertThat(Json.rawTopLevelObject("{\"m\":{}}".getBytes(StandardCharsets.UTF_8), "m")).isEqualTo("{}");
    assertThatThrownBy(() -> Json.rawTopLevelObject("{\"list\":[{\"a\":1}],\"name\":\"meta_data\"}".getBytes(StandardCharsets.UTF_8), "meta_data"))
        .isInstanceOf(IllegalStateException.class).hasMessage("meta_data is not an object");
    assertThatThrownBy(() -> Json.rawTopLevelObject("{\"meta_data\":[1]}".getBytes(StandardCharsets.UTF_8), "meta_data"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Json.rawTopLevelObject("{\"a\":".getBytes(StandardCharsets.UTF_8), "meta_data"))
        .isInstanceOf(java.io.UncheckedIOException.class);
  }

  @Test
  void errorsAreEnvelopesWithTheCodesStatus() throws Exception {
    assertThat(new String(Json.error(ErrorCode.APIKEY_INVALID, "name: required"), StandardCharsets.UTF_8))
        .isEqualTo("{\"error\":\"name: required\",\"error_detail\":{\"code\":\"APIKEY_INVALID\",\"message\":\"name: required\"}}");
    Fakes.Response out = new Fakes.Response();
    Json.sendError(new Fakes.Request().path("POST", "/api-keys").build(), out.build(), ErrorCode.APIKEY_INVALID, "bad");
    assertThat(out.status).isEqualTo(ErrorCode.APIKEY_INVALID.httpStatus());
    String body = "{\"error\":\"bad\",\"error_detail\":{\"code\":\"APIKEY_INVALID\",\"message\":\"bad\"}}";
    assertThat(out.body.toString(StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(out.headers)
        .containsEntry("Content-Type", "application/json")
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("Content-Length", String.valueOf(body.length()));
    assertThat(out.committed).isTrue();
  }

  @Test
  void aHeadRequestGetsTheHeadersOnly() throws Exception {
    Fakes.Response out = new Fakes.Response();
    Json.send(new Fakes.Request().path("HEAD", "/api-keys").build(), out.build(), 200, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(out.status).isEqualTo(200);
    assertThat(out.headers).containsEntry("Content-Length", "7").containsEntry("Content-Type", "application/json");
    assertThat(out.body.size()).isZero();
    assertThat(out.committed).isTrue();
  }

  @Test
  void theMapperIsStrict() {
    assertThatThrownBy(() -> Json.MAPPER.readTree("{\"a\":1,\"a\":2}")).hasMessageContaining("Duplicate field");
    assertThatThrownBy(() -> Json.MAPPER.readTree("{\"a\":1} x")).isInstanceOf(java.io.IOException.class);
  }
}
