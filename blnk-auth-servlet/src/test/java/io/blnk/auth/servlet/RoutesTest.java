package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

final class RoutesTest {

  final Routes blnk = Routes.build(ResourceRegistry.blnkDefaults(), Map.of(), Map.of());

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/ledgers|ledgers", "/ledgers/ldg_1|ledgers", "/balances/b/history|balances", "/accounts|accounts",
        "/identities/i|identities", "/transactions|transactions", "/balance-monitors|balance-monitors", "/hooks|hooks",
        "/api-keys/k/rotate|api-keys", "/search/ledgers|search", "/reconciliation/upload|reconciliation",
        "/metadata|metadata", "/backup|backup", "/mocked-account|accounts", "/multi-search|search",
        "/refund-transaction/t|transactions", "/txn_1/metadata|metadata", "/bln_1/metadata/|metadata",
        "/ledgers/metadata|ledgers"
      })
  void blnkPathsMapToTheirResources(String path, String resource) {
    assertThat(blnk.resourceOf(path).map(Resource::name)).hasValue(resource);
  }

  @ParameterizedTest
  @CsvSource({"/", "/nothing", "/Ledgers", "/LEDGERS", "/ledger", "/ledgers.json", "/x/metadata/y", "/x/y/metadata", "/x/Metadata"})
  void otherPathsMapToNothing(String path) {
    assertThat(blnk.resourceOf(path)).isEmpty();
  }

  @Test
  void hostRulesWinAndMustNameKnownResources() {
    Routes host = Routes.build(ResourceRegistry.blnkDefaults(), Map.of("ledgers", "balances"), Map.of("notes", "metadata"));
    assertThat(host.resourceOf("/ledgers").map(Resource::name)).hasValue("balances");
    assertThat(host.resourceOf("/x/notes").map(Resource::name)).hasValue("metadata");
    assertThatThrownBy(() -> Routes.build(ResourceRegistry.blnkDefaults(), Map.of("w", "wallets"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wallets");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/txn_1/metadata|transactions", "/bulk_1/metadata|transactions", "/ldg_1/metadata|ledgers",
        "/bln_1/metadata/|balances", "/idt_1/metadata|identities", "/acc_1/metadata|accounts",
        "/mon_1/metadata|balance-monitors", "/hook_1/metadata|hooks", "/recon_1/metadata|reconciliation",
        "/api_key_1/metadata|api-keys"
      })
  void recordIdsNameTheirResourceByBlnksPrefixes(String path, String resource) {
    assertThat(blnk.recordOf(path).map(Resource::name)).hasValue(resource);
  }

  @ParameterizedTest
  @CsvSource({"/ldg_", "/ldg_/metadata", "/ldg/metadata", "/hk_1/metadata", "/Ldg_1/metadata", "/x_ldg_1/metadata", "/1/metadata"})
  void idsWithoutAKnownPrefixNameNothing(String path) {
    assertThat(blnk.recordOf(path)).isEmpty();
  }

  @Test
  void prefixesWhoseResourceTheRegistryLacksAreLeftOutAndHostPrefixesMustBeKnown() {
    ResourceRegistry small = ResourceRegistry.builder().add("ledgers").add("metadata").build();
    assertThat(Routes.defaultIdPrefixes(small)).containsOnlyKeys("ldg_");
    assertThatThrownBy(
            () -> Routes.build(ResourceRegistry.blnkDefaults(), Map.of(), Map.of(), Map.of("w_", "wallets")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wallets");
  }
}
