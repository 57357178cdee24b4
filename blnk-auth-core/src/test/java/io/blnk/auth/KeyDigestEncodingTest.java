package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A presented string is digested as its UTF-8 bytes whatever its characters: the first non-ASCII
 * character ({@code U+0080} and up) must not be squeezed into one byte, whether it comes first,
 * last or alone.
 */
final class KeyDigestEncodingTest {

  private static String sha256Hex(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0080", "a\u0080", "\u0080a", "\u007f", "éü", "ü", "\u00ff\u0100", "blnk_\u0080\u0081"})
  void aStringDigestsAsItsUtf8Bytes(String key) throws Exception {
    assertThat(KeyDigest.of(key).hex()).as(key).isEqualTo(sha256Hex(key));
    assertThat(KeyDigest.of(key)).isEqualTo(KeyDigest.of(key.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void longKeysDigestAsTheirUtf8BytesAtAndPastTheScratchSize() throws Exception {
    for (int n : new int[] {127, 128, 129, 300}) {
      String key = "k".repeat(n);
      assertThat(KeyDigest.of(key).hex()).as("%d characters", n).isEqualTo(sha256Hex(key));
    }
  }

  @Test
  void theHexFormIsSixtyFourLowerCaseDigitsWithLeadingZerosKept() throws Exception {
    // SHA-256("a") = ca978112...; other inputs give words that start with zero nibbles.
    for (String key : new String[] {"a", "blnk_x", "", "0", "xyz"}) {
      String hex = KeyDigest.of(key).hex();
      assertThat(hex).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(sha256Hex(key));
    }
  }
}
