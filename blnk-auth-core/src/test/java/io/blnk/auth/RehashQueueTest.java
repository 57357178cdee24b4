package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.KeyHasher;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, finding 8: the rehash queue is bounded, de-duplicated by key id, runs on its own
 * thread, and carries only ids and encoded hashes (its one entry point takes no plaintext).
 */
final class RehashQueueTest {

  @Test
  void aKeyAlreadyQueuedIsNotQueuedTwiceAndAFullQueueRefusesMore() throws Exception {
    CountingKeyStore store = new CountingKeyStore();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    String[] thread = new String[1];
    boolean[] daemon = new boolean[1];
    store.beforeReplaceHash = () -> {
      thread[0] = Thread.currentThread().getName();
      daemon[0] = Thread.currentThread().isDaemon();
      writing.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (RehashQueue queue = new RehashQueue(store)) {
      ApiKeyId first = ApiKeyId.random();
      assertThat(queue.submit(first, "old", "new")).isTrue();
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(thread[0]).isEqualTo("blnk-auth-rehash");
      assertThat(daemon[0]).as("the rehash thread never keeps the JVM alive").isTrue();

      ApiKeyId twice = ApiKeyId.random();
      assertThat(queue.submit(twice, "old", "new")).isTrue();
      assertThat(queue.wants(twice)).isFalse();
      assertThat(queue.submit(twice, "old", "newer")).as("already pending").isFalse();

      for (int i = 1; i < RehashQueue.CAPACITY; i++) {
        assertThat(queue.submit(ApiKeyId.random(), "old", "new")).as("entry %d", i).isTrue();
      }
      ApiKeyId overflow = ApiKeyId.random();
      assertThat(queue.wants(overflow)).isFalse();
      assertThat(queue.submit(overflow, "old", "new")).as("the queue is full").isFalse();
      release.countDown();
    }
    assertThat(store.replaceHashCalls).hasValue(1 + RehashQueue.CAPACITY);
  }

  @Test
  void aVerificationQueuesTheUpgradedHashItComputedItself() {
    CountingKeyStore store = new CountingKeyStore();
    String key;
    try (Fixture old = new Fixture(store, new CountingHasher(KeyHasher.argon2id(64, 1, 1)), b -> b)) {
      key = old.create("ledgers:read").plaintext().reveal();
    }
    CountingHasher upgraded = new CountingHasher(KeyHasher.argon2id(128, 1, 1));
    try (Fixture next = new Fixture(store, upgraded, b -> b)) {
      int hashes = upgraded.hashes.get();
      assertThat(next.auth.authenticate(key, "").granted()).isTrue();
      // Hashed inside the verification, while the presented bytes were in hand.
      assertThat(upgraded.hashes.get() - hashes).isEqualTo(1);
    }
    assertThat(store.replacedHashes).hasValue(1);
  }
}
