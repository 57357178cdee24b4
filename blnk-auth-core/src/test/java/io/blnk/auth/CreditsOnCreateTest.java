package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.StoreUnavailableException;
import io.blnk.auth.testing.ForwardingUsageStore;
import io.blnk.auth.usage.Credits;
import io.blnk.auth.usage.UsagePolicy;
import io.blnk.auth.usage.UsageSettings;
import io.blnk.auth.usage.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A key created with credits is stored whole or not at all: its balance and its row, whichever
 * store fails between the two writes.
 */
final class CreditsOnCreateTest {

  /** A usage store that remembers the balances it holds and can fail as a stopped database. */
  private static final class RecordingUsageStore extends ForwardingUsageStore {
    final Set<String> balances = ConcurrentHashMap.newKeySet();
    volatile boolean defineFails;

    RecordingUsageStore() {
      super(UsageStore.inMemory());
    }

    @Override
    public void defineCredits(String usageId, Credits credits, Instant now) {
      if (defineFails) {
        throw new StoreUnavailableException("defineCredits", "connection refused (test)", null);
      }
      super.defineCredits(usageId, credits, now);
      balances.add(usageId);
    }

    @Override
    public void removeCredits(String usageId) {
      super.removeCredits(usageId);
      balances.remove(usageId);
    }
  }

  private final RecordingUsageStore usage = new RecordingUsageStore();
  private final Fixture f =
      new Fixture(
          b -> b.maxActiveKeysPerOwner(1).usage(UsageSettings.builder().store(usage).build()));

  @AfterEach
  void close() {
    f.auth.close();
  }

  private KeyOutcome<CreatedKey> create(long credits) {
    return f.auth.keys()
        .create(
            BlnkPrincipal.master(),
            CreateKeyRequest.builder()
                .name("metered")
                .owner("team-a")
                .scopes("ledgers:read")
                .expiresAt(f.clock.instant().plus(Duration.ofDays(30)))
                .usage(new UsagePolicy(List.of(), Optional.of(Credits.of(credits))))
                .build());
  }

  private List<?> keysOfTeamA() {
    return f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-a")).orElseThrow();
  }

  @Test
  void aBalanceThatCannotBeWrittenLeavesNoKeyBehind() {
    usage.defineFails = true;

    assertThatThrownBy(() -> create(10)).isInstanceOf(StoreUnavailableException.class);

    usage.defineFails = false;
    f.clock.advance(Duration.ofMinutes(1)); // past the circuit the failure opened
    assertThat(keysOfTeamA()).isEmpty();
    CreatedKey key = create(10).orElseThrow(); // the owner's one key was not used up by the failure
    assertThat(usage.balances).containsExactly(key.apiKey().usageId());
    assertThat(f.auth.admit(f.principal(key), 1).admitted()).isTrue();
  }

  @Test
  void aKeyRefusedByTheOwnerLimitLeavesNoBalanceBehind() {
    CreatedKey first = create(10).orElseThrow();

    KeyOutcome<CreatedKey> second = create(20);

    assertThat(second.refusal().orElseThrow().code()).isEqualTo(ErrorCode.APIKEY_LIMIT_EXCEEDED);
    assertThat(usage.balances).containsExactly(first.apiKey().usageId());
    assertThat(keysOfTeamA()).hasSize(1);
  }

  @Test
  void aKeyThatCannotBeStoredFailsWithTheKeyStoresErrorNotTheUndos() {
    f.store.unavailable = true;

    // The balance cannot be taken back either (the failure opened the circuit both stores share);
    // what is left belongs to no key, and the caller sees why the key was not stored.
    assertThatThrownBy(() -> create(10))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("insert")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));

    f.store.unavailable = false;
    f.clock.advance(Duration.ofMinutes(1));
    assertThat(keysOfTeamA()).isEmpty();
  }
}
