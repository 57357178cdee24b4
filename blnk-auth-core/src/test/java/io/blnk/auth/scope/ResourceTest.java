package io.blnk.auth.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A resource is a value: name, master-only flag and position; it prints as its name. */
final class ResourceTest {

  @Test
  void resourcesAreEqualOnlyWhenNameFlagAndPositionAre() {
    Resource ledgers = new Resource("ledgers", false, 0);

    assertThat(ledgers).isEqualTo(new Resource("ledgers", false, 0));
    assertThat(ledgers).hasSameHashCodeAs(new Resource("ledgers", false, 0));
    assertThat(ledgers)
        .isNotEqualTo(new Resource("balances", false, 0))
        .isNotEqualTo(new Resource("ledgers", true, 0))
        .isNotEqualTo(new Resource("ledgers", false, 1))
        .isNotEqualTo("ledgers")
        .isNotEqualTo(null);
  }

  @Test
  void theDefaultRegistrysResourcesHashApart() {
    Set<Integer> hashes = new HashSet<>();
    for (Resource r : ResourceRegistry.blnkDefaults().resources()) {
      hashes.add(r.hashCode());
    }

    assertThat(hashes).hasSize(ResourceRegistry.blnkDefaults().size());
  }

  @Test
  void aResourcePrintsAsItsNameAndARegistryAsItsResources() {
    ResourceRegistry registry = ResourceRegistry.builder().add("ledgers").masterOnly("hooks").build();

    assertThat(registry.find("hooks").orElseThrow()).hasToString("hooks");
    assertThat(registry).hasToString("ResourceRegistry[ledgers, hooks]");
  }
}
