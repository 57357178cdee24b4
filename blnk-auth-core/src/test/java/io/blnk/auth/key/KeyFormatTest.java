package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3: the plaintext key format, its checksum and its derived parts. */
final class KeyFormatTest {

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  /** Characters outside base62 that a typo, a paste or an attacker could put into a key. */
  private static final String OTHERS =
      "-_ .:+/=!*~\t\n\r\u0000\u007f\u00e9\u0131\u0130\u00c0\u0141\u0241\u0130\uff10\uff21\u00a0\u2028\ud83d";

  /** A SecureRandom that hands out exactly the given bytes, so jqwik chooses the key body. */
  static SecureRandom fixed(byte[] bytes) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] out) {
        System.arraycopy(bytes, 0, out, 0, out.length);
      }
    };
  }

  /**
   * The check characters are CRC32 of everything before them, as {@link java.util.zip.CRC32}
   * computes it over the key's bytes, in base62: keys issued by any earlier version stay valid.
   */
  @Property(tries = 300)
  void theCheckIsTheJdksCrc32OfTheHead(@ForAll @Size(32) byte[] random, @ForAll("prefixes") String prefix) {
    KeyFormat format = KeyFormat.withPrefix(prefix);
    String key = format.generate(fixed(random)).reveal();
    int checkStart = key.length() - KeyFormat.CHECK_LENGTH;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(key.substring(0, checkStart).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    long check = 0;
    for (char c : key.substring(checkStart).toCharArray()) {
      check = check * 62 + BASE62.indexOf(c);
    }
    assertThat(check).isEqualTo(crc.getValue());
    assertThat(format.isWellFormed(key)).isTrue();
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> prefixes() {
    return net.jqwik.api.Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
        .ofMinLength(1)
        .ofMaxLength(16);
  }

  @Property(tries = 500)
  void aGeneratedKeyIsWellFormedAndItsPartsAgree(@ForAll @Size(32) byte[] random) {
    KeyFormat format = KeyFormat.blnk();
    PlaintextKey key = format.generate(fixed(random));
    String text = key.reveal();

    assertThat(text).hasSize(format.length()).hasSize(54).startsWith("blnk_");
    assertThat(text).matches(format.scannerPattern()).matches("blnk_[0-9A-Za-z]{49}");
    assertThat(format.isWellFormed(text)).isTrue();
    assertThat(format.lookupId(text)).isEqualTo(text.substring(5, 21)).isEqualTo(key.lookupId());
    assertThat(format.displayPrefix(text)).isEqualTo(text.substring(0, 13)).isEqualTo(key.displayPrefix());
    assertThat(format.displayPrefixOfLookupId(key.lookupId())).isEqualTo(key.displayPrefix());
    assertThat(PlaintextKey.of(text, format)).isEqualTo(key);
    assertThat(key.toString()).doesNotContain(text.substring(13)).contains(key.displayPrefix());
  }

  @Test
  void theExtremeBodiesStillFitTheirFixedWidth() {
    for (byte fill : new byte[] {0, (byte) 0xff, 1, (byte) 0x80}) {
      byte[] bytes = new byte[32];
      java.util.Arrays.fill(bytes, fill);
      String text = KeyFormat.blnk().generate(fixed(bytes)).reveal();
      assertThat(text).hasSize(54);
      assertThat(KeyFormat.blnk().isWellFormed(text)).isTrue();
    }
    assertThat(KeyFormat.blnk().generate(fixed(new byte[32])).reveal())
        .startsWith("blnk_" + "0".repeat(43));
  }

  @Test
  void keysFromTheRealRandomSourceDiffer() {
    SecureRandom random = new SecureRandom();
    PlaintextKey a = KeyFormat.blnk().generate(random);
    PlaintextKey b = KeyFormat.blnk().generate(random);

    assertThat(a).isNotEqualTo(b);
    assertThat(a.lookupId()).isNotEqualTo(b.lookupId());
  }

  /** Every position × every other base62 character, plus other characters: all refused. */
  @Property(tries = 25)
  void everySingleCharacterChangeIsRejected(@ForAll @Size(32) byte[] random) {
    KeyFormat format = KeyFormat.blnk();
    String key = format.generate(fixed(random)).reveal();
    String replacements = BASE62 + OTHERS;
    List<String> accepted = new ArrayList<>();
    int tried = 0;

    for (int i = 0; i < key.length(); i++) {
      for (int r = 0; r < replacements.length(); r++) {
        char c = replacements.charAt(r);
        if (c == key.charAt(i)) {
          continue;
        }
        String changed = key.substring(0, i) + c + key.substring(i + 1);
        tried++;
        if (format.isWellFormed(changed)) {
          accepted.add(i + ":" + c);
        }
      }
    }
    assertThat(accepted).isEmpty();
    assertThat(tried).isGreaterThanOrEqualTo(54 * 61);
  }

  @Property(tries = 25)
  void droppingDoublingOrSwappingCharactersIsRejected(@ForAll @Size(32) byte[] random) {
    KeyFormat format = KeyFormat.blnk();
    String key = format.generate(fixed(random)).reveal();

    for (int i = 0; i < key.length(); i++) {
      String dropped = key.substring(0, i) + key.substring(i + 1);
      String doubled = key.substring(0, i) + key.charAt(i) + key.substring(i);
      assertThat(format.isWellFormed(dropped)).isFalse();
      assertThat(format.isWellFormed(doubled)).isFalse();
      if (i + 1 < key.length() && key.charAt(i) != key.charAt(i + 1)) {
        String swapped =
            key.substring(0, i) + key.charAt(i + 1) + key.charAt(i) + key.substring(i + 2);
        assertThat(format.isWellFormed(swapped)).as("swap at %d", i).isFalse();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "blnk_",
        "blnk",
        "Bearer blnk_",
        "blnk-0000000000000000000000000000000000000000000000000",
        "BLNK_0000000000000000000000000000000000000000000000000",
        "sk_live_0000000000000000000000000000000000000000000000",
      })
  void obviousGarbageIsNotWellFormed(String text) {
    assertThat(KeyFormat.blnk().isWellFormed(text)).isFalse();
    assertThatThrownBy(() -> KeyFormat.blnk().lookupId(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWellFormedKeyWithSurroundingWhitespaceIsNotWellFormed() {
    String key = KeyFormat.blnk().generate(new SecureRandom()).reveal();

    assertThat(KeyFormat.blnk().isWellFormed(" " + key)).isFalse();
    assertThat(KeyFormat.blnk().isWellFormed(key + "\n")).isFalse();
    assertThat(KeyFormat.blnk().isWellFormed(null)).isFalse();
  }

  @Test
  void aKeyOfOnePrefixIsNotWellFormedForAnother() {
    KeyFormat acme = KeyFormat.withPrefix("acme");
    String key = acme.generate(new SecureRandom()).reveal();

    assertThat(key).startsWith("acme_").hasSize(54).matches(acme.scannerPattern());
    assertThat(acme.isWellFormed(key)).isTrue();
    assertThat(KeyFormat.blnk().isWellFormed(key)).isFalse();
    assertThat(KeyFormat.withPrefix("blnk")).isSameAs(KeyFormat.blnk());
  }

  @ParameterizedTest
  @CsvSource({"''", "Blnk", "bl_nk", "bl-nk", "abcdefghijklmnopq", "'blnk '", "ı"})
  void invalidPrefixesAreRefused(String prefix) {
    assertThatThrownBy(() -> KeyFormat.withPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wrappingAMalformedKeyIsRefusedWithoutEchoingIt() {
    String key = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    String broken = key.substring(0, 53) + (key.charAt(53) == 'a' ? 'b' : 'a');

    assertThatThrownBy(() -> PlaintextKey.of(broken, KeyFormat.blnk()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(broken.substring(5));
  }

  @Test
  void aPlaintextKeyPrintsOnlyItsDisplayPrefix() {
    PlaintextKey key = KeyFormat.blnk().generate(new SecureRandom());

    assertThat(key.toString())
        .isEqualTo("PlaintextKey[" + key.displayPrefix() + "…]")
        .doesNotContain(key.reveal())
        .doesNotContain(key.lookupId());
  }

  @Test
  void aCharacterJustPastAsciiInAKeyIsNotWellFormed() {
    String key = KeyFormat.blnk().generate(new SecureRandom()).reveal();

    for (int at : new int[] {5, 20, key.length() - 1}) {
      String changed = key.substring(0, at) + '\u0080' + key.substring(at + 1);
      assertThat(KeyFormat.blnk().isWellFormed(changed)).as("at %d", at).isFalse();
    }
  }

  @Test
  void theDisplayPrefixOfAMalformedKeyIsRefusedNamingTheFormat() {
    String key = KeyFormat.withPrefix("acme").generate(new SecureRandom()).reveal();
    String broken = key.substring(0, key.length() - 1) + (key.endsWith("a") ? 'b' : 'a');

    assertThat(KeyFormat.withPrefix("acme").displayPrefix(key)).isEqualTo(key.substring(0, 13));
    assertThatThrownBy(() -> KeyFormat.withPrefix("acme").displayPrefix(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a well-formed acme key");
  }

  @Test
  void aFormatPrintsItsScannerPattern() {
    assertThat(KeyFormat.withPrefix("acme")).hasToString("KeyFormat[acme_[0-9A-Za-z]{49}]");
  }
}
