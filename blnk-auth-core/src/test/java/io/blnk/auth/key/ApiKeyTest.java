package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.scope.ScopeSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key record: its meta data rule (braces and UTF-8 size) and its builder. */
final class ApiKeyTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ApiKey key(Optional<String> metaData) {
    return new ApiKey(
        ApiKeyId.random(),
        "name",
        OwnerId.of("team-a"),
        ScopeSet.parse(List.of("ledgers:read")),
        Optional.empty(),
        T0,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "blnk_abcdefgh",
        Optional.empty(),
        metaData,
        IpAllowList.ANY,
        Optional.empty(),
        Optional.empty());
  }

  /** A JSON object of exactly {@code bytes} bytes of UTF-8, padded with 'x' around {@code body}. */
  private static String objectOf(int bytes, String body, int bodyBytes) {
    return "{\"k\":\"" + body + "x".repeat(bytes - 8 - bodyBytes) + "\"}";
  }

  @Test
  void aKeyIsNotMadeWithMetaDataThatIsNotAnObject() {
    assertThat(key(Optional.of("{}")).metaData()).contains("{}");
    assertThatThrownBy(() -> key(Optional.of("[1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meta_data must be a JSON object");
  }

  @Test
  void theSmallestObjectIsTwoBracesAndAnythingShorterIsRefused() {
    assertThat(ApiKey.requireValidMetaData(" {} ")).isEqualTo(" {} ");
    for (String bad : new String[] {"{", "}", " { ", ""}) {
      assertThatThrownBy(() -> ApiKey.requireValidMetaData(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("meta_data must be a JSON object");
    }
  }

  @Test
  void metaDataOfExactlyTheLimitIsAcceptedAndOneByteMoreIsRefused() {
    String limit = objectOf(ApiKey.MAX_META_DATA_BYTES, "", 0);
    assertThat(ApiKey.requireValidMetaData(limit)).isSameAs(limit);

    assertThatThrownBy(() -> ApiKey.requireValidMetaData(objectOf(ApiKey.MAX_META_DATA_BYTES + 1, "", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meta_data is 4097 bytes; at most 4096 bytes are allowed");
  }

  /** Each character is counted as UTF-8 encodes it; the message reports the total. */
  @ParameterizedTest(name = "{0} counts {1} bytes")
  @CsvSource({
    "007f, 1",
    "0080, 2",
    "07ff, 2",
    "0800, 3",
    "ffff, 3",
    "d83d de00, 4",
    "d83d, 3",
    "de00, 3",
    "d83d 0041, 4",
  })
  void metaDataIsMeasuredInBytesOfUtf8(String units, int bytes) {
    StringBuilder body = new StringBuilder();
    for (String unit : units.split(" ")) {
      body.append((char) Integer.parseInt(unit, 16));
    }
    String text = objectOf(ApiKey.MAX_META_DATA_BYTES + 1, body.toString(), bytes);

    assertThatThrownBy(() -> ApiKey.requireValidMetaData(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meta_data is 4097 bytes; at most 4096 bytes are allowed");
  }

  @Test
  void aHighSurrogateAtTheEndCountsAsThreeBytes() {
    String text = "{\"k\":\"" + "x".repeat(ApiKey.MAX_META_DATA_BYTES - 10) + "\"}\ud83d";

    assertThatThrownBy(() -> ApiKey.requireValidMetaData(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("meta_data is 4097 bytes; at most 4096 bytes are allowed");
  }

  @Test
  void theBuilderReplacesTheIdAndTheCreationTime() {
    ApiKey original = key(Optional.empty());
    ApiKeyId other = ApiKeyId.random();
    Instant later = T0.plusSeconds(60);

    ApiKey copy = original.toBuilder().id(other).createdAt(later).build();

    assertThat(copy.id()).isEqualTo(other);
    assertThat(copy.createdAt()).isEqualTo(later);
    assertThat(copy.name()).isEqualTo(original.name());
  }
}
