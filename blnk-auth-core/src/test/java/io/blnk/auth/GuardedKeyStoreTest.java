package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoredKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guarded store passes every answer of the store it guards back unchanged. */
final class GuardedKeyStoreTest {

  private final MutableClock clock = MutableClock.at("2026-03-05T12:00:00Z");
  private final KeyStore inner = KeyStore.inMemory();
  private final GuardedKeyStore store =
      new GuardedKeyStore(inner, Duration.ofSeconds(10), Duration.ofSeconds(5), 2, clock);

  @AfterEach
  void close() {
    store.close();
  }

  private static io.blnk.auth.key.ApiKey record() {
    return new io.blnk.auth.key.ApiKey(
        ApiKeyId.random(),
        "k",
        io.blnk.auth.key.OwnerId.of("team-a"),
        io.blnk.auth.scope.ScopeSet.parse(List.of("ledgers:read")),
        java.util.Optional.empty(),
        Fixture.T0,
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        "blnk_abcdefgh");
  }

  @Test
  void backgroundWritesAnswerAsTheStoreDoes() {
    StoredKey key = new StoredKey(record(), "lookup-id-000001", "old-hash");
    inner.insert(key);
    String digest = "0123456789abcdef".repeat(4);

    assertThat(store.replaceHash(key.key().id(), "other-hash", "new-hash")).isFalse();
    assertThat(store.replaceHash(key.key().id(), "old-hash", "new-hash")).isTrue();
    assertThat(store.recordDigest(ApiKeyId.random(), digest)).isFalse();
    assertThat(store.recordDigest(key.key().id(), digest)).isTrue();
  }

  @Test
  void theFeedAndTheUsageStoreAreTheGuardedStoresOwn() throws Exception {
    List<ApiKeyId> heard = new CopyOnWriteArrayList<>();
    StoredKey key = new StoredKey(record(), "lookup-id-000002", "hash");
    inner.insert(key);

    AutoCloseable subscription = store.subscribe(heard::add);
    inner.revoke(key.key().id(), clock.instant());
    subscription.close();
    StoredKey later = new StoredKey(record(), "lookup-id-000003", "hash");
    inner.insert(later);
    inner.revoke(later.key().id(), clock.instant());

    assertThat(heard).containsExactly(key.key().id());
    assertThat(store.usageStore()).isEqualTo(inner.usageStore()).isPresent();
    assertThat(store.delegate()).isSameAs(inner);
    assertThat(store).hasToString("GuardedKeyStore[" + inner + ", CLOSED]");
  }

  @Test
  void afterCloseItsCallsRunOnTheCallersThread() {
    store.close();

    assertThat(store.guard().call("findById", () -> Thread.currentThread()))
        .isSameAs(Thread.currentThread());
  }

  @Test
  void rotationsAndLastUsesReachTheStoreAndTheirAnswersComeBack() {
    StoredKey old = new StoredKey(record(), "lookup-id-000004", "hash");
    inner.insert(old);
    StoredKey next = new StoredKey(record(), "lookup-id-000005", "hash");
    java.time.Instant now = Fixture.T0.plusSeconds(1);

    assertThat(store.rotate(next, old.key().id(), now.plusSeconds(60), now, 10))
        .isInstanceOf(io.blnk.auth.store.RotateResult.Rotated.class);
    store.recordLastUsed(java.util.Map.of(next.key().id(), now));

    assertThat(inner.findById(next.key().id()).orElseThrow().lastUsedAt()).contains(now);
  }
}
