package io.blnk.auth.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiled sets keep the registry's shared scope instances, so many cached keys share them. */
final class CompiledScopesSharingTest {

  private static final List<String> SCOPES =
      List.of("ledgers:read", "balances:*", "*:write", "*:*", "transactions:delete");

  private final ResourceRegistry registry = ResourceRegistry.blnkDefaults();

  @Test
  void aCompiledSetIsEqualToItsSourceInTheSameOrder() {
    ScopeSet source = ScopeSet.parse(SCOPES);

    assertThat(source.compile(registry).scopes()).isEqualTo(source);
    assertThat(source.compile(registry).scopes().toStrings()).isEqualTo(SCOPES);
  }

  @Test
  void twoKeysWithEqualScopesShareEveryScopeInstance() {
    List<Scope> first = ScopeSet.parse(SCOPES).compile(registry).scopes().scopes();
    List<Scope> second = ScopeSet.parse(SCOPES).compile(registry).scopes().scopes();

    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).isSameAs(first.get(i));
    }
  }

  @Test
  void aScopeForAResourceTheRegistryLacksIsKeptAsItIs() {
    ResourceRegistry small = ResourceRegistry.builder().add("ledgers").build();
    ScopeSet source = ScopeSet.parse(List.of("ledgers:read", "widgets:read"));

    CompiledScopes compiled = source.compile(small);

    assertThat(compiled.scopes()).isEqualTo(source);
    assertThat(compiled.allows(small.find("ledgers").orElseThrow(), Action.READ)).isTrue();
  }

  @Test
  void aCompiledSetPrintsTheScopesItWasCompiledFrom() {
    CompiledScopes compiled = ScopeSet.parse(List.of("ledgers:read", "*:write")).compile(registry);

    assertThat(compiled).hasToString("CompiledScopes[ledgers:read, *:write]");
  }
}
