package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.scope.Action;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.scope.ScopeSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SPEC §2 delegation through the key service: a scoped key may create a key exactly when it
 * covers every requested scope, and the key it creates never allows more than it does.
 */
final class DelegationPropertiesTest {

  @Provide
  Arbitrary<List<String>> scopeTexts() {
    Arbitrary<String> resource =
        Arbitraries.oneOf(Arbitraries.of(ResourceRegistry.BLNK_RESOURCES), Arbitraries.just("*"));
    Arbitrary<String> action = Arbitraries.of("*", "read", "write", "delete");
    return Combinators.combine(resource, action).as((r, a) -> r + ":" + a).list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 150)
  void aKeyGrantsExactlyWhatItCoversAndNoMore(
      @ForAll("scopeTexts") List<String> holds, @ForAll("scopeTexts") List<String> asks) {
    try (Fixture f = new Fixture()) {
      BlnkPrincipal caller = f.principal(f.create("team-a", Duration.ofDays(10), holds.toArray(String[]::new)));
      CreateKeyRequest request = CreateKeyRequest.builder()
          .name("child").scopes(asks).expiresAt(f.clock.instant().plus(Duration.ofDays(1))).build();
      ScopeSet held = ScopeSet.parse(holds);
      ScopeSet asked = ScopeSet.parse(asks);

      if (!held.coversAll(asked)) {
        assertThat(f.auth.keys().create(caller, request))
            .isEqualTo(
                KeyOutcome.refused(
                    ErrorCode.AUTH_SCOPE_ESCALATION,
                    "Cannot grant scopes beyond your own: " + held.firstUncovered(asked).orElseThrow()));
        return;
      }
      BlnkPrincipal child = f.principal(f.auth.keys().create(caller, request).orElseThrow());
      List<String> beyond = new ArrayList<>();
      for (Resource r : f.auth.registry().resources()) {
        for (Action a : Action.values()) {
          if (child.allows(r, a) && !caller.allows(r, a)) {
            beyond.add(r.name() + ":" + a.token());
          }
          assertThat(child.allows(r, a)).isEqualTo(asked.covers(io.blnk.auth.scope.Scope.of(r.name(), a)));
        }
      }
      assertThat(beyond).isEmpty();
      assertThat(child.scopes()).isEqualTo(asked);
    }
  }
}
