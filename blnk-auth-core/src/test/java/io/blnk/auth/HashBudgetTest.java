package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 finding 4 and issue 17 finding 1: hash work is bounded and shared fairly. Create and
 * rotate hash within the verification limit; a verification is charged to its client address and
 * to the owner of its lookup id, so neither can hold more than its share of the verifiers.
 */
final class HashBudgetTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(32);

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static final AuthResult.Denied BUSY =
      AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofSeconds(1));

  @Test
  void sixteenParallelCreatesNeverRunMoreHashesAtOnceThanTheVerificationLimit() throws Exception {
    try (Fixture f = new Fixture(b -> b.verificationLimit(1, Duration.ofSeconds(60)))) {
      f.hasher.hashHook = key -> Thread.sleep(5); // long enough for the others to pile up
      CyclicBarrier start = new CyclicBarrier(16);
      List<Future<CreatedKey>> creates = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        creates.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return f.create("ledgers:read");
        }));
      }
      for (Future<CreatedKey> c : creates) {
        assertThat(f.principal(c.get(60, TimeUnit.SECONDS)).isMaster()).isFalse();
      }

      assertThat(f.hasher.hashes).hasValue(16);
      assertThat(f.hasher.mostAtOnce).as("hashes at once").hasValue(1);
    }
  }

  @Test
  void parallelRotationsShareTheLimitWithVerifications() throws Exception {
    try (Fixture f = new Fixture(b -> b.verificationLimit(2, Duration.ofSeconds(60)).verificationShare(1.0))) {
      List<CreatedKey> keys = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        keys.add(f.create("ledgers:read"));
      }
      f.hasher.hashHook = key -> Thread.sleep(5);
      f.hasher.hook = key -> Thread.sleep(5);
      CyclicBarrier start = new CyclicBarrier(16);
      List<Future<?>> work = new ArrayList<>();
      for (CreatedKey k : keys) {
        work.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return f.auth.keys().rotate(BlnkPrincipal.master(), k.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
        }));
        work.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return f.auth.authenticate(k.plaintext().reveal(), "");
        }));
      }
      for (Future<?> w : work) {
        w.get(60, TimeUnit.SECONDS);
      }

      assertThat(f.hasher.hashes).hasValue(16);
      assertThat(f.hasher.mostAtOnce.get()).as("hashes and verifications at once").isLessThanOrEqualTo(2);
    }
  }

  @Test
  void aCreateThatFindsNoHashPermitInTimeIsRateLimitedAndStoresNothing() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (Fixture f = new Fixture(b -> b.verificationLimit(1, Duration.ofMillis(20)))) {
      f.hasher.hashHook = key -> {
        holding.countDown();
        release.await(30, TimeUnit.SECONDS);
      };
      Future<CreatedKey> first = pool.submit(() -> f.create("team-z", Duration.ofDays(1), "ledgers:read"));
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      f.hasher.hashHook = key -> {};

      try {
        assertThat(f.tryCreate("team-y", Duration.ofDays(1), "ledgers:read"))
            .isEqualTo(
                new KeyOutcome.Refused<>(
                    ErrorCode.GEN_RATE_LIMITED,
                    "Too many keys are being hashed at once; try again shortly",
                    Optional.of(Duration.ofSeconds(1))));
      } finally {
        release.countDown();
      }
      assertThat(first.get(10, TimeUnit.SECONDS)).isNotNull();
      assertThat(f.auth.keys().list(BlnkPrincipal.master(), KeyQuery.owner("team-y")).orElseThrow()).isEmpty();
    }
  }

  /**
   * One tenant floods with its own lookup ids (valid-looking wrong secrets, and revoked keys whose
   * rows remain) from several addresses; its verifications are parked. It holds its share (one of
   * two verifiers) and nothing more: its further attempts wait at its own gate and are refused
   * with Retry-After when the wait runs out, and another tenant's first use gets the free verifier
   * meanwhile.
   */
  @Test
  void aTenantFloodingWithItsOwnLookupIdsCannotTakeAnotherTenantsVerifier() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Fixture f = new Fixture(b -> b.verificationLimit(2, Duration.ofMillis(100)))) {
      List<String> attackerKeys = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        CreatedKey k = f.create("mallory", Duration.ofDays(1), "ledgers:read");
        if (i % 2 == 0) {
          f.auth.keys().revoke(BlnkPrincipal.master(), k.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
          attackerKeys.add(k.plaintext().reveal()); // revoked, yet its row (and owner) remains
        } else {
          attackerKeys.add(Fixture.wrongSecret(k.plaintext().reveal(), i));
        }
      }
      Set<String> parked = ConcurrentHashMap.newKeySet();
      parked.addAll(attackerKeys);
      CountDownLatch attackerVerifying = new CountDownLatch(1);
      f.hasher.hook = key -> {
        if (parked.contains(new String(key, java.nio.charset.StandardCharsets.UTF_8))) {
          attackerVerifying.countDown();
          release.await(30, TimeUnit.SECONDS);
        }
      };
      String legit = f.create("alice", Duration.ofDays(1), "ledgers:read").plaintext().reveal();
      try {
        Future<AuthResult> first = pool.submit(() -> f.auth.authenticate(attackerKeys.get(0), "198.51.100.1"));
        assertThat(attackerVerifying.await(10, TimeUnit.SECONDS)).isTrue();

        for (int i = 1; i < attackerKeys.size(); i++) {
          // Other addresses, same owner: the owner's share is taken.
          assertThat(f.auth.authenticate(attackerKeys.get(i), "198.51.100." + (i + 1))).isEqualTo(BUSY);
        }
        assertThat(f.auth.authenticate(legit, "192.0.2.50").granted()).isTrue();
        assertThat(f.hasher.verifications).as("the parked one and the legitimate one").hasValue(2);

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
      } finally {
        release.countDown();
      }
    }
  }

  /**
   * One tenant's burst of first uses of distinct keys, more than its share at once, waits at its
   * own gate rather than being refused: all are granted, never more than the share verifying at
   * once.
   */
  @Test
  void aBurstOfOneOwnersFirstUsesWaitsItsTurnInsteadOfBeingRefused() throws Exception {
    try (Fixture f = new Fixture(b -> b.verificationLimit(2, Duration.ofSeconds(60)))) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        keys.add(f.create("tenant", Duration.ofDays(1), "ledgers:read").plaintext().reveal());
      }
      f.hasher.hook = key -> Thread.sleep(5);
      CyclicBarrier start = new CyclicBarrier(keys.size());
      List<Future<AuthResult>> results = new ArrayList<>();
      for (String k : keys) {
        results.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return f.auth.authenticate(k, "192.0.2.1");
        }));
      }
      for (Future<AuthResult> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS).granted()).isTrue();
      }
      assertThat(f.hasher.verifications).hasValue(16);
      assertThat(f.hasher.mostAtOnce).as("one owner's share of two verifiers").hasValue(1);
    }
  }

  /** The same from one address spreading over many owners' keys: the address's share is taken. */
  @Test
  void oneAddressCannotTakeMoreThanItsShareWhateverOwnersItsKeysBelongTo() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Fixture f = new Fixture(b -> b.verificationLimit(2, Duration.ofMillis(100)))) {
      List<String> wrong = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        wrong.add(Fixture.wrongSecret(f.create("owner-" + i, Duration.ofDays(1), "ledgers:read").plaintext().reveal(), i));
      }
      CountDownLatch verifying = new CountDownLatch(1);
      f.hasher.hook = key -> {
        if (wrong.contains(new String(key, java.nio.charset.StandardCharsets.UTF_8))) {
          verifying.countDown();
          release.await(30, TimeUnit.SECONDS);
        }
      };
      String legit = f.create("alice", Duration.ofDays(1), "ledgers:read").plaintext().reveal();
      try {
        Future<AuthResult> first = pool.submit(() -> f.auth.authenticate(wrong.get(0), "203.0.113.9"));
        assertThat(verifying.await(10, TimeUnit.SECONDS)).isTrue();

        for (int i = 1; i < wrong.size(); i++) {
          assertThat(f.auth.authenticate(wrong.get(i), "203.0.113.9")).isEqualTo(BUSY);
        }
        assertThat(f.auth.authenticate(legit, "192.0.2.50").granted()).isTrue();

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
        // Refused for being busy, not for a wrong secret: once the share is free, they are judged.
        f.hasher.hook = key -> {};
        assertThat(f.auth.authenticate(wrong.get(1), "203.0.113.9"))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      } finally {
        release.countDown();
      }
    }
  }
}
