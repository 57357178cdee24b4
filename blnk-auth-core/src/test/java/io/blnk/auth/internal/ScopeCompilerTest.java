package io.blnk.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.ScopeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scope package's compiler is installed once; nothing can replace it afterwards. */
final class ScopeCompilerTest {

  @Test
  void aSecondCompilerIsRefusedAndTheInstalledOneKeepsJudging() {
    ResourceRegistry registry = ResourceRegistry.blnkDefaults(); // installs the scope compiler

    assertThatThrownBy(() -> ScopeCompiler.install((scopes, r) -> null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the scope compiler is installed once");
    ScopeMatcher matcher = ScopeCompiler.compile(ScopeSet.parse(List.of("ledgers:read")), registry);
    assertThat(matcher.allows(registry.find("ledgers").orElseThrow(), Action.READ)).isTrue();
    assertThat(matcher.allows(registry.find("balances").orElseThrow(), Action.READ)).isFalse();
  }
}
