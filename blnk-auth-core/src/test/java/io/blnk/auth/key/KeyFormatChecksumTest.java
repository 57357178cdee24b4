package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The checksum is plain CRC32, so other tools (secret scanners, clients) can check keys too. */
final class KeyFormatChecksumTest {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @Property(tries = 200)
  void aKeyWhoseCheckIsTheCrc32OfItsHeadIsWellFormed(
      @ForAll @StringLength(KeyFormat.BODY_LENGTH) @CharRange(from = '0', to = '9')
              @CharRange(from = 'A', to = 'Z') @CharRange(from = 'a', to = 'z')
              String body) {
    for (String prefix : new String[] {"blnk", "acme2"}) {
      String head = prefix + "_" + body;

      assertThat(KeyFormat.withPrefix(prefix).isWellFormed(head + base62(crc32(head)))).isTrue();
    }
  }

  @Property(tries = 200)
  void aKeyWithAnyOtherCheckIsMalformed(
      @ForAll @StringLength(KeyFormat.BODY_LENGTH) @CharRange(from = '0', to = '9')
              @CharRange(from = 'A', to = 'Z') @CharRange(from = 'a', to = 'z')
              String body) {
    String head = "blnk_" + body;

    assertThat(KeyFormat.blnk().isWellFormed(head + base62((crc32(head) + 1) % (1L << 32))))
        .isFalse();
  }

  @Property(tries = 100)
  void aGeneratedKeyWithOneBodyCharacterChangedIsMalformed(
      @ForAll @IntRange(min = 5, max = 5 + KeyFormat.BODY_LENGTH - 1) int position,
      @ForAll @IntRange(min = 1, max = 61) int shift) {
    String key = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    char changed = ALPHABET.charAt((ALPHABET.indexOf(key.charAt(position)) + shift) % 62);
    String tampered = key.substring(0, position) + changed + key.substring(position + 1);

    assertThat(KeyFormat.blnk().isWellFormed(key)).isTrue();
    assertThat(KeyFormat.blnk().isWellFormed(tampered)).isFalse();
  }

  private static long crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.US_ASCII));
    return crc.getValue();
  }

  private static String base62(long value) {
    char[] out = new char[KeyFormat.CHECK_LENGTH];
    long v = value;
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (v % 62));
      v /= 62;
    }
    return new String(out);
  }
}
