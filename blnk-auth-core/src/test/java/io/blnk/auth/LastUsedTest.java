package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.testing.ForwardingKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §8: {@code last_used_at} writes are coalesced, batched and flushed on close. */
final class LastUsedTest {

  private final Fixture f = new Fixture(b -> b.lastUsedInterval(Duration.ofMinutes(1)));

  @AfterEach
  void close() {
    f.close();
  }

  private Optional<Instant> lastUsed(CreatedKey key) {
    return f.store.findById(key.apiKey().id()).map(ApiKey::lastUsedAt).orElseThrow();
  }

  private void use(CreatedKey key, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(f.auth.authenticate(key.plaintext().reveal(), "").granted()).isTrue();
    }
  }

  @Test
  void manyUsesWithinAnIntervalWriteOncePerKey() {
    CreatedKey a = f.create("ledgers:read");
    CreatedKey b = f.create("ledgers:read");
    use(a, 100);
    f.clock.advance(Duration.ofSeconds(10));
    use(b, 100);
    use(a, 100);

    f.auth.flushLastUsed();

    assertThat(f.store.lastUsedBatches).hasSize(1);
    Map<ApiKeyId, Instant> batch = f.store.lastUsedBatches.get(0);
    assertThat(batch).containsOnly(
        Map.entry(a.apiKey().id(), Fixture.T0),
        Map.entry(b.apiKey().id(), Fixture.T0.plusSeconds(10)));
    assertThat(lastUsed(a)).contains(Fixture.T0);
  }

  @Test
  void aKeyUnusedSinceTheLastFlushIsNotWrittenAgain() {
    CreatedKey a = f.create("ledgers:read");
    use(a, 10);
    f.auth.flushLastUsed();
    f.clock.advance(Duration.ofSeconds(30));
    use(a, 10); // within the interval of the recorded use

    f.auth.flushLastUsed();

    assertThat(f.store.lastUsedBatches).hasSize(1);
  }

  @Test
  void theNextIntervalRecordsTheNextUse() {
    CreatedKey a = f.create("ledgers:read");
    use(a, 10);
    f.auth.flushLastUsed();

    f.clock.advance(Duration.ofSeconds(61));
    use(a, 10);
    f.auth.flushLastUsed();

    assertThat(f.store.lastUsedBatches).hasSize(2);
    assertThat(f.store.lastUsedBatches.get(1)).containsExactly(
        Map.entry(a.apiKey().id(), Fixture.T0.plusSeconds(61)));
    assertThat(lastUsed(a)).contains(Fixture.T0.plusSeconds(61));
  }

  @Test
  void failedAuthenticationsAreNotRecorded() {
    CreatedKey a = f.create("ledgers:read");
    f.auth.authenticate(Fixture.wrongSecret(a.plaintext().reveal(), 1), "");
    f.auth.keys().revoke(BlnkPrincipal.master(), a.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
    f.auth.authenticate(a.plaintext().reveal(), "");

    f.auth.flushLastUsed();

    assertThat(f.store.lastUsedBatches).isEmpty();
    assertThat(lastUsed(a)).isEmpty();
  }

  @Test
  void closeWritesWhatIsPending() {
    CreatedKey a = f.create("ledgers:read");
    use(a, 3);

    f.auth.close();

    assertThat(lastUsed(a)).contains(Fixture.T0);
  }

  @Test
  void aFailingStoreKeepsTheBatchForTheNextFlush() {
    CreatedKey a = f.create("ledgers:read");
    use(a, 3);
    f.store.lastUsedUnavailable = true;

    f.auth.flushLastUsed();
    assertThat(lastUsed(a)).isEmpty();

    f.store.lastUsedUnavailable = false;
    f.auth.flushLastUsed();

    assertThat(lastUsed(a)).contains(Fixture.T0);
    assertThat(f.store.lastUsedBatches).hasSize(1);
  }

  @Test
  void aRetriedBatchKeepsTheLatestTimeOfEachKey() {
    CreatedKey a = f.create("ledgers:read");
    use(a, 1);
    f.store.lastUsedUnavailable = true;
    f.auth.flushLastUsed();
    f.clock.advance(Duration.ofMinutes(2));
    use(a, 1);

    f.store.lastUsedUnavailable = false;
    f.auth.flushLastUsed();

    assertThat(f.store.lastUsedBatches).hasSize(1);
    assertThat(lastUsed(a)).contains(Fixture.T0.plus(Duration.ofMinutes(2)));
  }

  @Test
  void theMasterKeyRecordsNothing() {
    f.auth.authenticate(Fixture.MASTER, "");

    f.auth.flushLastUsed();

    assertThat(f.store.lastUsedBatches).isEmpty();
  }

  @Test
  void aFlushReportsHowManyKeysItRecordedAndWritesEachOnce() {
    CountingKeyStore store = new CountingKeyStore();
    LastUsedRecorder recorder = new LastUsedRecorder(store, 60_000);
    io.blnk.auth.key.ApiKeyId a = io.blnk.auth.key.ApiKeyId.random();
    io.blnk.auth.key.ApiKeyId b = io.blnk.auth.key.ApiKeyId.random();
    recorder.record(a, 1_000);
    recorder.record(b, 2_000);
    recorder.record(a, 3_000);

    assertThat(recorder.flush()).isEqualTo(2);
    assertThat(store.lastUsedBatches).hasSize(1);
    assertThat(store.lastUsedBatches.get(0)).containsEntry(a, java.time.Instant.ofEpochMilli(3_000));
    assertThat(recorder.flush()).isZero();
  }

  /**
   * A flush that comes while another is writing waits for it: when {@code flushLastUsed()} returns,
   * the uses recorded before it are stored, not still in the other flush's hands.
   */
  @Test
  void aFlushThatComesDuringAnotherWaitsForItsWrite() throws Exception {
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Map<ApiKeyId, Instant>> stored = new CopyOnWriteArrayList<>();
    KeyStore slow =
        new ForwardingKeyStore(KeyStore.inMemory()) {
          @Override
          public void recordLastUsed(Map<ApiKeyId, Instant> lastUsed) {
            writing.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            stored.add(Map.copyOf(lastUsed));
          }
        };
    LastUsedRecorder recorder = new LastUsedRecorder(slow, 60_000);
    ApiKeyId a = ApiKeyId.random();
    recorder.record(a, 1_000);
    Thread scheduled = new Thread(recorder::flush);
    scheduled.start();
    writing.await();

    Thread explicit = new Thread(recorder::flush);
    explicit.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (explicit.getState() != Thread.State.BLOCKED
        && explicit.getState() != Thread.State.TERMINATED
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(explicit.getState()).as("the second flush waits for the first").isEqualTo(Thread.State.BLOCKED);
    assertThat(stored).isEmpty();

    release.countDown();
    explicit.join(10_000);
    assertThat(stored).containsExactly(Map.of(a, Instant.ofEpochMilli(1_000)));
    scheduled.join(10_000);
  }
}
