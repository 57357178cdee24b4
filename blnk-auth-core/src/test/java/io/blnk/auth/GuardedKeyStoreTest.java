package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.store.KeyChangeListener;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.testing.ForwardingKeyStore;
import io.blnk.auth.usage.UsageStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GuardedKeyStore} passes what the wrapped store answers through unchanged, on the guard's
 * workers while open and on the caller's thread once closed.
 */
final class GuardedKeyStoreTest {

  private static final ApiKeyId ID = ApiKeyId.parse("api_key_00000000-0000-4000-8000-000000000001");

  /** A store answering the background calls with what the test sets, remembering the thread. */
  private static final class Answering extends ForwardingKeyStore {
    volatile boolean answer;
    final AtomicReference<String> thread = new AtomicReference<>();
    final UsageStore usage = UsageStore.inMemory();
    final AutoCloseable subscription = () -> {};

    Answering() {
      super(KeyStore.inMemory());
    }

    @Override
    public boolean recordDigest(ApiKeyId id, String keyDigest) {
      thread.set(Thread.currentThread().getName());
      return answer;
    }

    @Override
    public boolean replaceHash(ApiKeyId id, String expectedHash, String newHash) {
      thread.set(Thread.currentThread().getName());
      return answer;
    }

    @Override
    public AutoCloseable subscribe(KeyChangeListener listener) {
      return subscription;
    }

    @Override
    public Optional<UsageStore> usageStore() {
      return Optional.of(usage);
    }

    @Override
    public String toString() {
      return "Answering";
    }
  }

  private final Answering inner = new Answering();
  private final GuardedKeyStore guarded =
      new GuardedKeyStore(inner, Duration.ofSeconds(2), Duration.ofSeconds(2), 4, MutableClock.at("2026-03-05T12:00:00Z"));

  @AfterEach
  void close() {
    guarded.close();
  }

  @Test
  void backgroundWritesAnswerWhatTheStoreAnswers() {
    for (boolean answer : new boolean[] {true, false}) {
      inner.answer = answer;

      assertThat(guarded.recordDigest(ID, "d".repeat(64))).isEqualTo(answer);
      assertThat(guarded.replaceHash(ID, "old", "new")).isEqualTo(answer);
    }
    assertThat(inner.thread.get()).startsWith("blnk-auth-store-");
  }

  @Test
  void theFeedAndTheUsageStoreAreTheWrappedStoresOwn() {
    assertThat(guarded.subscribe(id -> {})).isSameAs(inner.subscription);
    assertThat(guarded.usageStore()).containsSame(inner.usage);
    assertThat(guarded.delegate()).isSameAs(inner);
    assertThat(guarded.toString()).isEqualTo("GuardedKeyStore[Answering, CLOSED]");
  }

  @Test
  void afterCloseCallsRunOnTheCallersThread() {
    guarded.close();
    inner.answer = true;

    assertThat(guarded.recordDigest(ID, "d".repeat(64))).isTrue();
    assertThat(inner.thread.get()).isEqualTo(Thread.currentThread().getName());
  }
}
