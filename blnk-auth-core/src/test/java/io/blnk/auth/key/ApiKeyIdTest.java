package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key ids: {@code api_key_} and a lowercase UUID v4, nothing else. */
final class ApiKeyIdTest {

  private static final String VALID = "api_key_879f0ecb-e29f-4137-801b-1048366381db";

  @ParameterizedTest
  @ValueSource(
      strings = {
        VALID,
        "api_key_00000000-0000-4000-8000-000000000000",
        "api_key_ffffffff-ffff-4fff-bfff-ffffffffffff",
        "api_key_879f0ecb-e29f-4137-901b-1048366381db",
        "api_key_879f0ecb-e29f-4137-a01b-1048366381db",
      })
  void aLowercaseVersionFourUuidAfterThePrefixIsValid(String text) {
    assertThat(ApiKeyId.isValid(text)).isTrue();
    assertThat(ApiKeyId.parse(text).value()).isEqualTo(text);
    assertThat(ApiKeyId.parse(text)).hasToString(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "api_key_",
        "api_key_879f0ecb-e29f-4137-801b-1048366381d",
        "api_key_879f0ecb-e29f-4137-801b-1048366381dbb",
        "api-key_879f0ecb-e29f-4137-801b-1048366381db",
        "api_key_879F0ECB-E29F-4137-801B-1048366381DB",
        "api_key_879f0ecb-e29f-4137-801b-1048366381dg",
        "api_key_879f0ecb-e29f-4137-801b-1048366381d/",
        "api_key_879f0ecb-e29f-4137-801b-1048366381d:",
        "api_key_879f0ecb-e29f-4137-801b-1048366381d`",
        "api_key_879f0ecbee29f-4137-801b-1048366381db",
        "api_key_879f0ecb-e29f-1137-801b-1048366381db",
        "api_key_879f0ecb-e29f-4137-c01b-1048366381db",
        "api_key_879f0ecb-e29f-4137-701b-1048366381db",
      })
  void anythingElseIsNotAnIdAndIsRefusedWhenParsed(String text) {
    assertThat(ApiKeyId.isValid(text)).isFalse();
    assertThatThrownBy(() -> ApiKeyId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid api_key_id: expected api_key_ followed by a lowercase UUID v4");
  }

  @Test
  void nullIsNotAnId() {
    assertThat(ApiKeyId.isValid(null)).isFalse();
  }

  @Test
  void randomIdsAreValidAndDiffer() {
    ApiKeyId a = ApiKeyId.random();

    assertThat(ApiKeyId.isValid(a.value())).isTrue();
    assertThat(ApiKeyId.random()).isNotEqualTo(a);
  }
}
