package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.internal.LogText;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.key.TextRules;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17.4: names and owners refuse characters that forge log lines or reorder text, and every
 * event line escapes whatever is not printable, whatever its source.
 */
final class SafeTextTest {

  /** Every kind the issue names: controls, separators, bidirectional formatting. */
  @ParameterizedTest(name = "U+{0}")
  @ValueSource(
      strings = {
        "0000", "0009", "000A", "000D", "001B", "007F", "0085", "2028", "2029", "00A0", "3000",
        "200B", "200D", "200E", "200F", "202A", "202B", "202C", "202D", "202E", "2066", "2067",
        "2068", "2069", "061C", "FEFF", "00AD"
      })
  void namesAndOwnersRefuseTheCharacterNamingTheField(String hex) {
    String bad = "exp4" + (char) Integer.parseInt(hex, 16) + "x";
    try (Fixture f = new Fixture()) {
      for (String field : new String[] {"name", "owner"}) {
        CreateKeyRequest.Builder b =
            CreateKeyRequest.builder()
                .name("ok")
                .owner("team-a")
                .scopes("ledgers:read")
                .expiresAt(f.clock.instant().plus(Duration.ofDays(1)));
        if (field.equals("name")) {
          b.name(bad);
        } else {
          b.owner(bad);
        }
        KeyOutcome<CreatedKey> outcome = f.auth.keys().create(BlnkPrincipal.master(), b.build());
        assertThat(outcome)
            .isEqualTo(
                KeyOutcome.refused(
                    ErrorCode.APIKEY_INVALID,
                    field
                        + " \"exp4\\u"
                        + hex.toLowerCase()
                        + "x\": must not contain control, separator or formatting characters; found "
                        + io.blnk.auth.key.TextRules.unsafeCharacter(bad).orElseThrow()));
        assertThat(outcome.refusal().orElseThrow().message()).doesNotContain(bad);
      }
      assertThat(f.store.listByOwner(OwnerId.of("team-a"))).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Service Account", "équipe-ß", "团队 七", "emoji 🙂 key", "a=b", "O'Brien \"ops\""})
  void ordinaryTextIncludingSpacesAndOtherScriptsIsAccepted(String text) {
    assertThat(TextRules.unsafeCharacter(text)).isEmpty();
    try (Fixture f = new Fixture()) {
      CreatedKey k =
          f.auth
              .keys()
              .create(
                  BlnkPrincipal.master(),
                  CreateKeyRequest.builder()
                      .name(text)
                      .owner(text)
                      .scopes("ledgers:read")
                      .expiresAt(f.clock.instant().plus(Duration.ofDays(1)))
                      .build()).orElseThrow();
      assertThat(k.apiKey().name()).isEqualTo(text);
      assertThat(k.apiKey().ownerId().value()).isEqualTo(text);
    }
  }

  @Test
  void theUnsafeCharacterIsDescribedByCodePointKindAndIndex() {
    assertThat(TextRules.unsafeCharacter("ab\u202Ecd"))
        .contains("U+202E (a bidirectional or invisible formatting character) at index 2");
    assertThat(TextRules.unsafeCharacter("a\u2028")).contains("U+2028 (a line or paragraph separator) at index 1");
    assertThat(TextRules.unsafeCharacter("\ud800x")).contains("U+D800 (an unpaired surrogate) at index 0");
    assertThat(TextRules.unsafeCharacter("ab\u0001")).contains("U+0001 (a control character) at index 2");
  }

  /** Owners read back (from a store, or built in code) must still be non-blank, short, control free and valid Unicode. */
  @Test
  void anOwnerReadBackIsCheckedForBlanknessLengthControlsAndValidUnicode() {
    assertThat(OwnerId.of("o".repeat(OwnerId.MAX_LENGTH))).hasToString("o".repeat(OwnerId.MAX_LENGTH));
    assertThat(OwnerId.of("team \ud83d\ude00")).hasToString("team \ud83d\ude00");
    java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put(" ", "must not be blank");
    refused.put("o".repeat(OwnerId.MAX_LENGTH + 1), "must be at most 255 characters, was 256");
    refused.put("team\u0001", "must not contain control characters");
    refused.put("team\ud83d", "must be valid Unicode text");
    refused.put("team\ud83dx", "must be valid Unicode text");
    refused.put("team\ude00", "must be valid Unicode text");
    refused.forEach(
        (text, problem) ->
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OwnerId.of(text))
                .as(text)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid owner: " + problem));
  }

  @Test
  void logTextEscapesEverythingNonPrintableAndQuotesFieldsThatCouldPoseAsOthers() {
    assertThat(LogText.escape("plain-text_1.2")).isSameAs("plain-text_1.2").isEqualTo("plain-text_1.2");
    assertThat(LogText.escape("a\nb\u2028c\u202Ed\u0000e\\f"))
        .isEqualTo("a\\u000ab\\u2028c\\u202ed\\u0000e\\\\f");
    assertThat(LogText.escape("🙂")).isEqualTo("🙂");
    assertThat(LogText.escape("\ud83d")).isEqualTo("\\ud83d");
    assertThat(LogText.value("x remote=1.2.3.4")).isEqualTo("\"x remote=1.2.3.4\"");
    assertThat(LogText.value("say \"hi\"")).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(LogText.value("")).isEqualTo("\"\"");
    assertThat(LogText.value("team-a")).isEqualTo("team-a");
  }

  @Test
  void aLoneBackslashIsEscapedInTextAndInAField() {
    assertThat(LogText.escape("\\")).isEqualTo("\\\\");
    assertThat(LogText.value("\\")).isEqualTo("\\\\");
    assertThat(LogText.value("a\\b")).isEqualTo("a\\\\b");
  }

  @Test
  void aLoneNonPrintableCharacterIsEscapedInTextAndInAField() {
    assertThat(LogText.escape("\u0001")).isEqualTo("\\u0001");
    assertThat(LogText.value("\u0001")).isEqualTo("\\u0001");
  }

  @Test
  void aFieldEscapedFromItsFirstCharacterIsNotLeftRaw() {
    assertThat(LogText.value("\u0001a")).isEqualTo("\\u0001a");
  }

  @Test
  void aFieldEscapedAfterPlainTextStaysUnquotedWhenNothingCouldPoseAsAField() {
    assertThat(LogText.value("a\u0001")).isEqualTo("a\\u0001");
    assertThat(LogText.value("team-a\nx")).isEqualTo("team-a\\u000ax");
  }

  @Test
  void aFieldOfOnlyASpaceQuoteOrEqualsSignIsQuoted() {
    assertThat(LogText.value(" ")).isEqualTo("\" \"");
    assertThat(LogText.value("\"")).isEqualTo("\"\\\"\"");
    assertThat(LogText.value("=")).isEqualTo("\"=\"");
  }

  @Test
  void textWithSpacesQuotesOrEqualsSignsNeedsNoEscapingOutsideAField() {
    assertThat(LogText.escape("a b=\"c\"")).isSameAs("a b=\"c\"");
  }

  /**
   * The forged line, and hostile text in every field an event line carries: captured from
   * slf4j-simple (System.err), each event stays on one line with everything escaped.
   */
  @Test
  void eventLinesEscapeOwnersAddressesAndDetailsWhateverTheirSource() {
    String forged = "exp4\u2028[main] INFO io.blnk.auth.events - KEY_REVOKED by=master";
    String remote = "10.0.0.1\r\n[main] INFO fake\u202E";
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (Fixture f = Fixture.withListener(AuthListener.slf4j(), b -> b.aggregateRefusals(Duration.ZERO))) {
      // An owner written by an earlier version, before the rule: it still loads and logs safely.
      AuthListener.slf4j()
          .onEvent(
              new AuthEvent(
                  AuthEvent.Type.KEY_REVOKED,
                  f.clock.instant(),
                  java.util.Optional.empty(),
                  java.util.Optional.of(OwnerId.of(forged)),
                  java.util.Optional.empty(),
                  "",
                  "",
                  "by=master"));
      CreatedKey k = f.create("team-x", Duration.ofDays(1), "ledgers:read");
      f.auth.decide(k.plaintext().reveal(), f.resource("balances"), "GET", remote);
      f.auth.authenticate("", remote);
      f.auth.decide(k.plaintext().reveal(), f.resource("ledgers"), "PURGE\u2029x", remote);
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log)
        .contains("owner=\"exp4\\u2028[main] INFO io.blnk.auth.events - KEY_REVOKED by=master\"")
        .contains("remote=10.0.0.1\\u000d\\u000a[main] INFO fake\\u202e".replace("remote=", "remote=\""))
        .contains("ledgers:purge\\u2029x")
        .doesNotContain("\u2028")
        .doesNotContain("\u2029")
        .doesNotContain("\u202E")
        .doesNotContain("\r");
    assertThat(log.lines().filter(l -> l.contains("fake"))).allMatch(l -> l.contains("io.blnk.auth.events"));
    assertThat(log.lines().filter(l -> l.startsWith("[main] INFO fake"))).isEmpty();
  }
}
