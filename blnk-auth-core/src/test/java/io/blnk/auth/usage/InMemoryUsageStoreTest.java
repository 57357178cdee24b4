package io.blnk.auth.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link UsageStore#inMemory()} keeps the usage store contract. */
final class InMemoryUsageStoreTest extends UsageStoreContract {

  @Override
  protected UsageStore newStore() {
    return UsageStore.inMemory();
  }

  @Test
  void theStoreReportsHowManyBalancesItHolds() {
    Instant noon = Instant.parse("2026-03-05T12:00:00Z");
    store.defineCredits("u1", Credits.of(3), noon);
    store.defineCredits("u2", Credits.of(3), noon);

    assertThat(store).hasToString("UsageStore.inMemory[2 balances]");
  }
}
