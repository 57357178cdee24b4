package io.blnk.auth.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResourceRegistry.Builder} is additive but refuses a name added twice, and a name's
 * master-only flag set twice; a built registry never changes.
 */
final class ResourceRegistryBuilderTest {

  @Test
  void aNameAddedTwiceIsRefusedNamingIt() {
    ResourceRegistry.Builder b = ResourceRegistry.builder().add("ledgers");
    assertThatThrownBy(() -> b.add("ledgers"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("resource \"ledgers\" is already added");
    assertThatThrownBy(() -> ResourceRegistry.builder().addAll(List.of("a", "b", "a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("resource \"a\" is already added");
    assertThatThrownBy(() -> ResourceRegistry.blnkDefaults().toBuilder().add("ledgers"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("resource \"ledgers\" is already added");
  }

  @Test
  void aMasterOnlyFlagIsSetOncePerName() {
    ResourceRegistry.Builder b = ResourceRegistry.builder().masterOnly("hooks");
    assertThatThrownBy(() -> b.notMasterOnly("hooks"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the master-only flag of resource \"hooks\" is already set");
    assertThatThrownBy(() -> b.masterOnly("hooks"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the master-only flag of resource \"hooks\" is already set");
    assertThatThrownBy(() -> b.add("hooks"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("resource \"hooks\" is already added");
    // a flag copied from a registry may be set once
    ResourceRegistry open = ResourceRegistry.blnkDefaults().toBuilder().notMasterOnly("hooks").build();
    assertThat(open.find("hooks").orElseThrow().masterOnly()).isFalse();
    // an added name may be flagged once
    ResourceRegistry flagged = ResourceRegistry.builder().add("a").masterOnly("a").build();
    assertThat(flagged.find("a").orElseThrow().masterOnly()).isTrue();
  }

  @Test
  void anInvalidNameIsRefusedAtTheSetterAndLeavesNothingAdded() {
    ResourceRegistry.Builder b = ResourceRegistry.builder();
    assertThatThrownBy(() -> b.add("Ledgers"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid resource name");
    assertThatThrownBy(() -> b.masterOnly("a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid resource name");
    assertThat(b.build().size()).isZero();
    assertThat(b.masterOnly("a-b").build().find("a-b")).isPresent();
  }

  @Test
  void aBuiltRegistryIsNotChangedByLaterUseOfItsBuilder() {
    ResourceRegistry.Builder b = ResourceRegistry.builder().add("ledgers");
    ResourceRegistry first = b.build();
    ResourceRegistry second = b.add("balances").masterOnly("hooks").build();
    assertThat(first.resources()).extracting(Resource::name).containsExactly("ledgers");
    assertThat(second.resources())
        .extracting(Resource::name)
        .containsExactly("ledgers", "balances", "hooks");
    assertThat(second.find("hooks").orElseThrow().masterOnly()).isTrue();
    assertThat(first.find("hooks")).isEmpty();
  }

  @Test
  void toBuilderKeepsOrderAndFlags() {
    ResourceRegistry copy = ResourceRegistry.blnkDefaults().toBuilder().build();
    assertThat(copy.resources())
        .extracting(Resource::name, Resource::masterOnly)
        .containsExactlyElementsOf(
            ResourceRegistry.blnkDefaults().resources().stream()
                .map(r -> org.assertj.core.groups.Tuple.tuple(r.name(), r.masterOnly()))
                .toList());
  }
}
