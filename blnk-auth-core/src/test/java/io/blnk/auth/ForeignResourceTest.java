package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ResourceRegistry;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code authorize} judges a resource by its own registry's entry of that name: a resource issued
 * by another registry, whatever flags it carries, neither unlocks a master-only resource nor names
 * one the host never registered.
 */
final class ForeignResourceTest {

  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aForeignResourceThatIsNotMasterOnlyStillNeedsTheMasterKeyForHooks() {
    BlnkPrincipal everything = f.principal(f.create("*:*"));
    Resource lenientHooks =
        ResourceRegistry.builder().add("hooks").build().find("hooks").orElseThrow();
    assertThat(lenientHooks.masterOnly()).isFalse();

    AuthResult result = f.auth.authorize(everything, Optional.of(lenientHooks), "GET", "");

    assertThat(result).isInstanceOf(AuthResult.Denied.class);
    assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_MASTER_KEY_REQUIRED);
  }

  @Test
  void aForeignResourceTheHostNeverRegisteredIsUnknown() {
    BlnkPrincipal everything = f.principal(f.create("*:*"));
    Resource stranger =
        ResourceRegistry.builder().add("wallets").build().find("wallets").orElseThrow();

    AuthResult result = f.auth.authorize(everything, Optional.of(stranger), "GET", "");

    assertThat(result).isInstanceOf(AuthResult.Denied.class);
    assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_UNKNOWN_RESOURCE);
  }

  @Test
  void aForeignResourceAtAnotherSlotIsJudgedByItsName() {
    // "ledgers" sits at slot 0 in the foreign registry and elsewhere in Blnk's; the scope that
    // grants it is the host's ledgers scope, not whatever the slot index points at.
    BlnkPrincipal reader = f.principal(f.create("balances:read"));
    Resource foreignLedgers =
        ResourceRegistry.builder().add("ledgers").build().find("ledgers").orElseThrow();
    Resource foreignBalances =
        ResourceRegistry.builder().add("x").add("balances").build().find("balances").orElseThrow();

    assertThat(f.auth.authorize(reader, Optional.of(foreignLedgers), "GET", ""))
        .isInstanceOf(AuthResult.Denied.class);
    assertThat(f.auth.authorize(reader, Optional.of(foreignBalances), "GET", ""))
        .isInstanceOf(AuthResult.Granted.class);
  }

  @Test
  void theHostsOwnResourcesAreRecognisedAsIssuedByItsRegistry() {
    ResourceRegistry registry = f.auth.registry();
    Resource ledgers = registry.find("ledgers").orElseThrow();
    Resource lookalike =
        ResourceRegistry.blnkDefaults().toBuilder().build().find("ledgers").orElseThrow();

    assertThat(registry.issued(ledgers)).isTrue();
    assertThat(lookalike).isEqualTo(ledgers);
    assertThat(registry.issued(lookalike)).isFalse();
  }

  @Test
  void aResourcePositionedBeyondTheRegistrysLastSlotIsNotIssuedByIt() {
    ResourceRegistry small = ResourceRegistry.builder().add("ledgers").build();
    Resource second =
        ResourceRegistry.builder().add("ledgers").add("balances").build().find("balances").orElseThrow();
    assertThat(second.index()).isEqualTo(small.size());

    assertThat(small.issued(second)).isFalse();
    assertThat(f.auth.registry().issued(second)).isFalse();
  }
}
