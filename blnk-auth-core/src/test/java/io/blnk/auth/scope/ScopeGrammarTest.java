package io.blnk.auth.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §2 as tables: the grammar, its rejections and their messages, and coverage. */
final class ScopeGrammarTest {

  /** Decodes the placeholders used where a CSV cell cannot show a character plainly. */
  static String decode(String cell) {
    return cell.replace("<SP>", " ")
        .replace("<TAB>", "\t")
        .replace("<LF>", "\n")
        .replace("<NUL>", "\u0000")
        .replace("<EMPTY>", "");
  }

  @ParameterizedTest(name = "{0} parses to resource {1}, action {2}")
  @CsvSource({
    "ledgers:read,          ledgers,          read",
    "ledgers:write,         ledgers,          write",
    "ledgers:delete,        ledgers,          delete",
    "ledgers:*,             ledgers,          *",
    "*:read,                *,                read",
    "*:*,                   *,                *",
    "balance-monitors:write, balance-monitors, write",
    "api-keys:*,            api-keys,         *",
    "a:read,                a,                read",
    "0:delete,              0,                delete",
    "a-b-c:read,            a-b-c,            read",
    "x1-2y:write,           x1-2y,            write",
  })
  void validScopesParseIntoTheirParts(String text, String resource, String action) {
    Scope scope = Scope.parse(text);

    assertThat(scope.resource()).isEqualTo(resource);
    assertThat(scope.action()).isEqualTo(action);
    assertThat(scope.toString()).isEqualTo(text);
    assertThat(Scope.parse(scope.toString())).isEqualTo(scope);
  }

  @ParameterizedTest(name = "[{0}] is rejected")
  @CsvSource({
    "ledgers:",
    ":read",
    "Ledgers:read",
    "ledgers:read:x",
    "<SP>ledgers:read",
    "*",
    "<EMPTY>",
    "ledgers:READ",
    "ledgers<SP>:read",
    "ledgers:read<SP>",
    "ledgers:<SP>read",
    "-a:read",
    "a--b:read",
    "a-:read",
    "ledgers<TAB>:read",
    "ledgers:read<TAB>",
    "<TAB>ledgers:read",
    "ledgers:read<LF>",
    "ledgers:read<NUL>",
    "lédgers:read",
    "ledgers:réad",
    // Turkish dotless and dotted i: what a locale-sensitive toLowerCase/toUpperCase produces.
    "identıties:read",
    "İdentities:read",
    "ledgers:wrıte",
    "LEDGERS:READ",
    "ledgers::read",
    "ledgers:*:read",
    "**:read",
    "ledgers:**",
    "*:",
    ":*",
    ":",
    "ledgers;read",
    "ledgers.read",
    "ledgers:reading",
    "ledgers:rea",
    "ledgers:all",
    "ledgers：read",
    "ｌedgers:read",
    "ledgers_x:read",
    "ledgers/x:read",
    "-:read",
    "a-*:read",
    "*a:read",
  })
  void malformedScopesAreRejectedWithAMessageNamingTheInput(String cell) {
    String text = decode(cell);

    assertThatThrownBy(() -> Scope.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(quoted(text));
  }

  /** How the message shows the input: in double quotes, control characters as escapes. */
  private static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  @Test
  void aTabIsShownEscapedSoTheMessageStaysReadable() {
    assertThatThrownBy(() -> Scope.parse("ledgers\t:read"))
        .hasMessageContaining("\"ledgers\\u0009:read\"");
  }

  @Test
  void theRecordConstructorAppliesTheSameGrammarPartByPart() {
    assertThatThrownBy(() -> new Scope("Ledgers", "read"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"Ledgers\"");
    assertThatThrownBy(() -> new Scope("ledgers", "READ"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"READ\"");
    assertThatThrownBy(() -> new Scope("ledgers:read", "*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Scope(null, "read")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Scope.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aVeryLongInputIsQuotedShortened() {
    String text = "a".repeat(10_000) + ":READ";

    assertThatThrownBy(() -> Scope.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid scope \"aaaa")
        .hasMessageContaining("...\"")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @Test
  void anInputOfExactlyTheLimitIsQuotedWhole() {
    String text = "a".repeat(75) + ":READ";
    assertThat(text).hasSize(80);

    assertThatThrownBy(() -> Scope.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid scope \"" + text + "\":");
  }

  @Test
  void anInputOneOverTheLimitIsCutAfterTheLimit() {
    String text = "a".repeat(76) + ":READ";
    assertThat(text).hasSize(81);

    assertThatThrownBy(() -> Scope.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid scope \"" + text.substring(0, 80) + "...\":");
  }

  @Test
  void anEmptyResourcePartIsRefusedForItsResourceNotItsColon() {
    assertThatThrownBy(() -> Scope.parse(":read"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid scope \":read\": resource must be * or [a-z0-9]+(-[a-z0-9]+)*, action one of"
                + " *, read, write, delete");
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
    "ledgers:read,          ledgers:read,          true",
    "ledgers:read,          ledgers:write,         false",
    "ledgers:write,         ledgers:read,          false",
    "ledgers:delete,        ledgers:write,         false",
    "ledgers:write,         ledgers:delete,        false",
    "ledgers:*,             ledgers:read,          true",
    "ledgers:*,             ledgers:write,         true",
    "ledgers:*,             ledgers:delete,        true",
    "ledgers:*,             ledgers:*,             true",
    "ledgers:read,          ledgers:*,             false",
    "ledgers:*,             balances:read,         false",
    "*:read,                balances:read,         true",
    "*:read,                hooks:read,            true",
    "*:read,                balances:write,        false",
    "*:read,                *:read,                true",
    "*:read,                *:*,                   false",
    "ledgers:read,          *:read,                false",
    "ledgers:*,             *:*,                   false",
    "*:*,                   *:*,                   true",
    "*:*,                   hooks:delete,          true",
    "*:*,                   *:write,               true",
    "*:*,                   ledgers:*,             true",
    "balances:read,         balance-monitors:read, false",
    "balance-monitors:read, balances:read,         false",
    "api-keys:write,        api-keys:write,        true",
  })
  void coverageFollowsTheDefinition(String granted, String requested, boolean covers) {
    assertThat(Scope.parse(granted).covers(Scope.parse(requested))).isEqualTo(covers);
  }

  @ParameterizedTest(name = "[{0}] covers {1}: {2}")
  @CsvSource({
    "'ledgers:read balances:write', ledgers:read,   true",
    "'ledgers:read balances:write', balances:write, true",
    "'ledgers:read balances:write', ledgers:write,  false",
    "'ledgers:read balances:write', balances:read,  false",
    "'ledgers:read ledgers:write',  ledgers:*,      false",
    "'ledgers:read *:write',        hooks:write,    true",
    "'*:read *:write *:delete',     ledgers:*,      false",
    "'*:*',                         metadata:read,  true",
    "'<EMPTY>',                     ledgers:read,   false",
  })
  void aSetCoversWhatOneOfItsMembersCovers(String granted, String requested, boolean covers) {
    ScopeSet set = set(decode(granted));

    assertThat(set.covers(Scope.parse(requested))).isEqualTo(covers);
    assertThat(set.coversAll(ScopeSet.of(Scope.parse(requested)))).isEqualTo(covers);
  }

  @ParameterizedTest(name = "[{0}] may grant [{1}]: {2}")
  @CsvSource({
    "'ledgers:read',               'ledgers:read',                 true",
    "'ledgers:*',                  'ledgers:read ledgers:delete',  true",
    "'ledgers:read',               'ledgers:read ledgers:write',   false",
    "'ledgers:read',               'ledgers:*',                    false",
    "'*:read',                     '*:read ledgers:read',          true",
    "'*:read',                     '*:*',                          false",
    "'*:*',                        '*:* hooks:delete',             true",
    "'ledgers:read balances:read', '<EMPTY>',                      true",
    "'<EMPTY>',                    'ledgers:read',                 false",
  })
  void delegationNeedsEveryRequestedScopeCovered(String holder, String asked, boolean allowed) {
    assertThat(set(decode(holder)).coversAll(set(decode(asked)))).isEqualTo(allowed);
    assertThat(set(decode(holder)).firstUncovered(set(decode(asked))).isEmpty()).isEqualTo(allowed);
  }

  @Test
  void noActionImpliesAnother() {
    for (Action held : Action.values()) {
      for (Action asked : Action.values()) {
        assertThat(Scope.of("ledgers", held).covers(Scope.of("ledgers", asked)))
            .as("%s covers %s", held, asked)
            .isEqualTo(held == asked);
      }
    }
  }

  @Test
  void aSetKeepsTheFirstOfEachDuplicateInOrder() {
    ScopeSet set = ScopeSet.parse(List.of("ledgers:read", "*:*", "ledgers:read", "balances:write"));

    assertThat(set.toStrings()).containsExactly("ledgers:read", "*:*", "balances:write");
  }

  @Test
  void onlyASetWithoutMembersIsEmptyAndASetPrintsItsMembersInOrder() {
    ScopeSet set = ScopeSet.parse(List.of("ledgers:read", "*:*"));

    assertThat(ScopeSet.EMPTY.isEmpty()).isTrue();
    assertThat(ScopeSet.of().isEmpty()).isTrue();
    assertThat(set.isEmpty()).isFalse();
    assertThat(set).hasToString("[ledgers:read, *:*]");
  }

  @Test
  void parsingASetNamesTheFirstInvalidMember() {
    assertThatThrownBy(() -> ScopeSet.parse(List.of("ledgers:read", "ledgers:READ", "x:")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"ledgers:READ\"");
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "GET,     READ",
    "HEAD,    READ",
    "POST,    WRITE",
    "PUT,     WRITE",
    "PATCH,   WRITE",
    "DELETE,  DELETE",
    "OPTIONS, <none>",
    "TRACE,   <none>",
    "CONNECT, <none>",
    "get,     <none>",
    "Delete,  <none>",
    "<EMPTY>, <none>",
  })
  void httpMethodsMapToActions(String method, String action) {
    assertThat(Action.forHttpMethod(decode(method)).map(Enum::name).orElse("<none>"))
        .isEqualTo(action);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Ledgers", "a--b", "-a", "a-", "*", "a b", "ı"})
  void registriesRefuseResourceNamesOutsideTheGrammar(String name) {
    assertThatThrownBy(() -> ResourceRegistry.builder().add(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + name + "\"");
  }

  @Test
  void theDefaultRegistryIsBlnksWithHooksMasterOnly() {
    ResourceRegistry registry = ResourceRegistry.blnkDefaults();

    assertThat(registry.resources())
        .extracting(Resource::name)
        .containsExactly(
            "ledgers", "balances", "accounts", "identities", "transactions", "balance-monitors",
            "hooks", "api-keys", "search", "reconciliation", "metadata", "backup");
    assertThat(registry.resources()).filteredOn(Resource::masterOnly).extracting(Resource::name)
        .containsExactly("hooks");
    assertThat(registry.find("*")).isEmpty();
    assertThat(registry.find("ledger")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"ledger:read", "hook:*", "ledgers-x:write", "balance-monitor:read"})
  void aRegistryRefusesScopesNamingResourcesItLacks(String text) {
    ResourceRegistry registry = ResourceRegistry.blnkDefaults();
    Scope scope = Scope.parse(text);

    assertThatThrownBy(() -> registry.requireKnown(scope))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"");
  }

  @Test
  void wildcardsAreAlwaysKnown() {
    ResourceRegistry registry = ResourceRegistry.builder().add("x").build();

    assertThat(registry.requireKnown(Scope.ALL)).isEqualTo(Scope.ALL);
    assertThat(registry.requireKnown(Scope.parse("*:read"))).isEqualTo(Scope.parse("*:read"));
  }

  private static ScopeSet set(String spaceSeparated) {
    return spaceSeparated.isEmpty()
        ? ScopeSet.EMPTY
        : ScopeSet.parse(Arrays.asList(spaceSeparated.split(" ")));
  }
}
