package io.blnk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.scope.Resource;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §4 steps 3 to 9 and §5, through {@code BlnkAuth.decide/authenticate/authorize}. */
final class AuthenticatorTest {

  private final Fixture f = new Fixture(b -> b.previousMasterKeys(java.util.List.of(Fixture.PREVIOUS_MASTER)));

  @AfterEach
  void close() {
    f.close();
  }

  /** The presented header for one of the table's named keys. */
  private String present(String kind) {
    switch (kind) {
      case "NULL":
        return null;
      case "EMPTY":
        return "";
      case "MASTER":
        return Fixture.MASTER;
      case "PREVIOUS_MASTER":
        return Fixture.PREVIOUS_MASTER;
      case "MASTER_PREFIX":
        return Fixture.MASTER.substring(0, Fixture.MASTER.length() - 1);
      case "MASTER_LONGER":
        return Fixture.MASTER + "x";
      case "MALFORMED":
        return "blnk_not-a-key";
      case "BAD_CHECKSUM": {
        String key = f.create("ledgers:read").plaintext().reveal();
        return key.substring(0, 53) + (key.charAt(53) == '0' ? '1' : '0');
      }
      case "UNKNOWN":
        return KeyFormat.blnk().generate(new SecureRandom()).reveal();
      case "WRONG_SECRET":
        return Fixture.wrongSecret(f.create("ledgers:*").plaintext().reveal(), 1);
      case "REVOKED": {
        CreatedKey key = f.create("ledgers:*");
        f.auth.keys().revoke(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
        return key.plaintext().reveal();
      }
      case "EXPIRED": {
        CreatedKey key = f.create("team-a", Duration.ofMinutes(1), "ledgers:*");
        f.clock.advance(Duration.ofMinutes(1));
        return key.plaintext().reveal();
      }
      case "SCOPED":
        return f.create("ledgers:read", "balances:*", "api-keys:write").plaintext().reveal();
      case "WILDCARD":
        return f.create("*:*").plaintext().reveal();
      case "READER":
        return f.create("*:read").plaintext().reveal();
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  @ParameterizedTest(name = "{0} {2} /{1} → {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // step 3: missing or empty header
        "NULL            | ledgers      | GET     | AUTH_MISSING_API_KEY          | Authentication required. Use X-Blnk-Key header",
        "EMPTY           | ledgers      | GET     | AUTH_MISSING_API_KEY          | Authentication required. Use X-Blnk-Key header",
        // step 4: master keys, all access
        "MASTER          | ledgers      | GET     | GRANTED                       | master",
        "MASTER          | hooks        | DELETE  | GRANTED                       | master",
        "MASTER          | <none>       | GET     | GRANTED                       | master",
        "MASTER          | ledgers      | OPTIONS | GRANTED                       | master",
        "PREVIOUS_MASTER | api-keys     | POST    | GRANTED                       | master",
        "MASTER_PREFIX   | ledgers      | GET     | AUTH_INVALID_API_KEY          | Invalid API key",
        "MASTER_LONGER   | ledgers      | GET     | AUTH_INVALID_API_KEY          | Invalid API key",
        // step 5: malformed
        "MALFORMED       | ledgers      | GET     | AUTH_INVALID_API_KEY          | Invalid API key",
        "BAD_CHECKSUM    | ledgers      | GET     | AUTH_INVALID_API_KEY          | Invalid API key",
        // step 6: unknown or wrong
        "UNKNOWN         | ledgers      | GET     | AUTH_INVALID_API_KEY          | Invalid API key",
        "WRONG_SECRET    | ledgers      | GET     | AUTH_INVALID_API_KEY          | Invalid API key",
        // step 7: revoked or expired
        "REVOKED         | ledgers      | GET     | AUTH_EXPIRED_API_KEY          | API key is expired or revoked",
        "EXPIRED         | ledgers      | GET     | AUTH_EXPIRED_API_KEY          | API key is expired or revoked",
        // step 8: resource
        "SCOPED          | <none>       | GET     | AUTH_UNKNOWN_RESOURCE         | Unknown resource type",
        "WILDCARD        | <none>       | GET     | AUTH_UNKNOWN_RESOURCE         | Unknown resource type",
        "WILDCARD        | hooks        | GET     | AUTH_MASTER_KEY_REQUIRED      | Master key required for this resource",
        "READER          | hooks        | GET     | AUTH_MASTER_KEY_REQUIRED      | Master key required for this resource",
        // step 9: method → action, coverage
        "SCOPED          | ledgers      | GET     | GRANTED                       | scoped",
        "SCOPED          | ledgers      | HEAD    | GRANTED                       | scoped",
        "SCOPED          | ledgers      | POST    | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for ledgers:write",
        "SCOPED          | ledgers      | PUT     | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for ledgers:write",
        "SCOPED          | ledgers      | PATCH   | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for ledgers:write",
        "SCOPED          | ledgers      | DELETE  | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for ledgers:delete",
        "SCOPED          | ledgers      | OPTIONS | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for ledgers:options",
        "SCOPED          | balances     | GET     | GRANTED                       | scoped",
        "SCOPED          | balances     | POST    | GRANTED                       | scoped",
        "SCOPED          | balances     | PATCH   | GRANTED                       | scoped",
        "SCOPED          | balances     | DELETE  | GRANTED                       | scoped",
        "SCOPED          | balances     | OPTIONS | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for balances:options",
        "SCOPED          | balances     | TRACE   | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for balances:trace",
        "SCOPED          | api-keys     | POST    | GRANTED                       | scoped",
        "SCOPED          | api-keys     | GET     | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for api-keys:read",
        "SCOPED          | accounts     | GET     | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for accounts:read",
        "SCOPED          | hooks        | GET     | AUTH_MASTER_KEY_REQUIRED      | Master key required for this resource",
        "WILDCARD        | transactions | DELETE  | GRANTED                       | scoped",
        "WILDCARD        | ledgers      | OPTIONS | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for ledgers:options",
        "READER          | metadata     | HEAD    | GRANTED                       | scoped",
        "READER          | metadata     | POST    | AUTH_INSUFFICIENT_PERMISSIONS | Insufficient permissions for metadata:write",
      })
  void eachStepOfTheRequestOrderDecides(
      String kind, String resource, String method, String outcome, String detail) {
    String presented = present(kind);
    Optional<Resource> target = resource.equals("<none>") ? Optional.empty() : f.resource(resource);

    AuthResult result = f.auth.decide(presented, target, method, "192.0.2.1");

    if (outcome.equals("GRANTED")) {
      assertThat(result).isInstanceOf(AuthResult.Granted.class);
      BlnkPrincipal principal = ((AuthResult.Granted) result).principal();
      assertThat(principal.isMaster()).isEqualTo(detail.equals("master"));
    } else {
      assertThat(result).isEqualTo(new AuthResult.Denied(ErrorCode.valueOf(outcome), detail));
      assertThat(result.granted()).isFalse();
      assertThat(ErrorCode.valueOf(outcome).httpStatus()).isBetween(401, 403);
    }
    // authenticate + authorize decide exactly as decide does.
    assertThat(twoStep(presented, target, method)).isEqualTo(result);
  }

  private AuthResult twoStep(String presented, Optional<Resource> target, String method) {
    AuthResult who = f.auth.authenticate(presented, "");
    if (who instanceof AuthResult.Granted granted) {
      return f.auth.authorize(granted.principal(), target, method, "");
    }
    return who;
  }

  @Test
  void aMalformedKeyTouchesNeitherStoreNorHash() {
    f.auth.decide("blnk_" + "A".repeat(49), f.resource("ledgers"), "GET", "");
    f.auth.decide("x".repeat(10_000), f.resource("ledgers"), "GET", "");

    assertThat(f.store.lookups).hasValue(0);
    assertThat(f.hasher.verifications).hasValue(0);
  }

  @Test
  void aScopedPrincipalCarriesItsKeysIdOwnerAndScopes() {
    CreatedKey key = f.create("team-b", Duration.ofDays(1), "ledgers:read");

    BlnkPrincipal principal = f.principal(key);

    assertThat(principal.apiKeyId()).contains(key.apiKey().id());
    assertThat(principal.getName()).isEqualTo(key.apiKey().id().value());
    assertThat(principal.ownerId()).contains(key.apiKey().ownerId());
    assertThat(principal.scopes().toStrings()).containsExactly("ledgers:read");
    assertThat(principal.expiresAt()).isEqualTo(key.apiKey().expiresAt());
    assertThat(principal.isMaster()).isFalse();
    assertThat(principal.toString()).doesNotContain(key.plaintext().reveal());
    assertThat(BlnkPrincipal.master().getName()).isEqualTo("master");
  }

  @Test
  void principalsOfTheSameKeyAreEqualAcrossReloads() {
    CreatedKey key = f.create("ledgers:read");
    BlnkPrincipal first = f.principal(key);
    f.auth.keys().rotate(BlnkPrincipal.master(), key.apiKey().id().value(), KeyQuery.anyOwner(), Duration.ofDays(2)).orElseThrow(); // a change that forces a reload without changing the key's fields
    BlnkPrincipal reloaded = f.principal(key);
    BlnkPrincipal other = f.principal(f.create("ledgers:read"));

    assertThat(reloaded).isNotSameAs(first).isEqualTo(first).hasSameHashCodeAs(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(BlnkPrincipal.master()).isEqualTo(BlnkPrincipal.master()).isNotEqualTo(first);
  }

  @Test
  void aCachedKeyIsDecidedWithoutTheStoreOrTheHash() {
    String key = f.create("ledgers:read").plaintext().reveal();
    f.auth.authenticate(key, "");
    int lookups = f.store.lookups.get();
    int verifications = f.hasher.verifications.get();

    for (int i = 0; i < 100; i++) {
      assertThat(f.auth.decide(key, f.resource("ledgers"), "GET", "").granted()).isTrue();
    }

    assertThat(f.store.lookups).hasValue(lookups);
    assertThat(f.hasher.verifications).hasValue(verifications);
  }

  // ---- store unavailable --------------------------------------------------------------------

  @Test
  void anUnreachableStoreIsReportedAsSuchNeverAsAGrantOrAnInvalidKey() {
    String key = f.create("ledgers:read").plaintext().reveal();
    String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    f.store.unavailable = true;

    for (String presented : new String[] {key, unknown, Fixture.wrongSecret(key, 3)}) {
      AuthResult result = f.auth.decide(presented, f.resource("ledgers"), "GET", "");
      assertThat(result).isInstanceOf(AuthResult.Denied.class);
      assertThat(((AuthResult.Denied) result).code()).isEqualTo(ErrorCode.AUTH_STORE_UNAVAILABLE);
      assertThat(((AuthResult.Denied) result).retryAfter()).isPositive();
    }
    assertThat(ErrorCode.AUTH_STORE_UNAVAILABLE.httpStatus()).isEqualTo(503);
  }

  @Test
  void anOutageIsNeitherCachedNorCountedAgainstTheKey() {
    String key = f.create("ledgers:read").plaintext().reveal();
    String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    f.store.unavailable = true;
    for (int i = 0; i < 20; i++) {
      f.auth.authenticate(key, "");
      f.auth.authenticate(unknown, "");
    }

    f.store.unavailable = false;
    f.clock.advance(java.time.Duration.ofSeconds(2)); // the store circuit's retry-after

    assertThat(f.auth.decide(key, f.resource("ledgers"), "GET", "").granted()).isTrue();
    assertThat(f.auth.authenticate(unknown, ""))
        .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
  }

  @Test
  void theMasterKeyAndCachedKeysKeepWorkingDuringAnOutage() {
    String key = f.create("ledgers:read").plaintext().reveal();
    f.auth.authenticate(key, "");
    f.store.unavailable = true;

    assertThat(f.auth.decide(key, f.resource("ledgers"), "GET", "").granted()).isTrue();
    assertThat(f.auth.decide(Fixture.MASTER, f.resource("ledgers"), "GET", "").granted()).isTrue();
  }

  // ---- negative cache -----------------------------------------------------------------------

  @Test
  void anUnknownLookupIdIsQueriedOnceWithinTheNegativeCacheTtl() {
    String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();

    for (int i = 0; i < 50; i++) {
      // Invalid, until the lookup id's throttle counts it as any other wrong secret.
      assertThat(f.auth.authenticate(unknown, ""))
          .isIn(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY), RATE_LIMITED_FOR_A_MINUTE);
      // Other secrets with the same lookup id are just as unknown.
      f.auth.authenticate(Fixture.wrongSecret(unknown, i), "");
    }

    assertThat(f.store.lookups).hasValue(1);
    assertThat(f.hasher.verifications).hasValue(0);
  }

  private static final AuthResult.Denied RATE_LIMITED_FOR_A_MINUTE =
      AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofMinutes(1));

  /**
   * Unknown lookup ids are throttled exactly as known ones with wrong secrets: the answers, in
   * order, are the same, so a 429 does not reveal that a lookup id exists.
   */
  @Test
  void theThrottleAnswersAnUnknownLookupIdExactlyAsAKnownOne() {
    try (Fixture g = new Fixture(b -> b.failureThrottle(3, Duration.ofMinutes(1)))) {
      String known = g.create("ledgers:read").plaintext().reveal();
      String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
      java.util.List<AuthResult> forKnown = new java.util.ArrayList<>();
      java.util.List<AuthResult> forUnknown = new java.util.ArrayList<>();

      for (int i = 0; i < 6; i++) {
        forKnown.add(g.auth.authenticate(Fixture.wrongSecret(known, i), "192.0.2.1"));
        forUnknown.add(g.auth.authenticate(Fixture.wrongSecret(unknown, i), "192.0.2.1"));
      }

      assertThat(forUnknown).isEqualTo(forKnown);
      assertThat(forKnown.subList(0, 3)).containsOnly(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      assertThat(forKnown.subList(3, 6)).containsOnly(RATE_LIMITED_FOR_A_MINUTE);
      assertThat(g.store.lookups).as("the unknown id once, the known one per judged attempt").hasValue(1 + 3);
      assertThat(g.hasher.verifications).hasValue(3);
    }
  }

  @Test
  void anUnknownLookupIdIsQueriedAgainAfterTheNegativeCacheTtl() {
    String unknown = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    f.auth.authenticate(unknown, "");

    f.clock.advance(Duration.ofSeconds(11));
    f.auth.authenticate(unknown, "");

    assertThat(f.store.lookups).hasValue(2);
  }

  @Test
  void aKeyCreatedAfterItsLookupIdWasMissedWorksAtOnce() {
    // Present a key (unknown), then put exactly that key into the store through the service.
    PlaintextKeyCapture capture = new PlaintextKeyCapture();
    try (Fixture g =
        new Fixture(b -> b.random(capture.random()))) {
      String future = capture.peekNext();
      assertThat(g.auth.authenticate(future, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));

      CreatedKey created = g.create("ledgers:read");

      assertThat(created.plaintext().reveal()).isEqualTo(future);
      assertThat(g.auth.authenticate(future, "").granted()).isTrue();
    }
  }

  /** A random source whose next key the test can know in advance. */
  static final class PlaintextKeyCapture {
    private final byte[] seed = new byte[32];

    PlaintextKeyCapture() {
      new SecureRandom().nextBytes(seed);
    }

    SecureRandom random() {
      return new SecureRandom() {
        private static final long serialVersionUID = 1L;

        @Override
        public void nextBytes(byte[] out) {
          System.arraycopy(seed, 0, out, 0, Math.min(out.length, seed.length));
        }
      };
    }

    String peekNext() {
      return KeyFormat.blnk().generate(random()).reveal();
    }
  }

  // ---- failure throttle ---------------------------------------------------------------------

  @Test
  void afterTooManyWrongSecretsALookupIdIsRefusedWithoutRunningTheHash() {
    try (Fixture g = new Fixture(b -> b.failureThrottle(3, Duration.ofMinutes(1)))) {
      String key = g.create("ledgers:read").plaintext().reveal();
      for (int i = 0; i < 3; i++) {
        assertThat(g.auth.authenticate(Fixture.wrongSecret(key, i), ""))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      }
      assertThat(g.hasher.verifications).hasValue(3);

      for (int i = 0; i < 20; i++) {
        assertThat(g.auth.authenticate(Fixture.wrongSecret(key, 100 + i), ""))
            .isEqualTo(RATE_LIMITED_FOR_A_MINUTE);
      }

      assertThat(g.hasher.verifications).hasValue(3);
      assertThat(ErrorCode.GEN_RATE_LIMITED.httpStatus()).isEqualTo(429);
    }
  }

  /**
   * The window slides: an attempt leaves it a full window after it was made, not when a fixed
   * window resets; Retry-After says when the oldest attempt leaves.
   */
  @Test
  void theThrottleWindowSlidesAndItsRefusalSaysWhenToRetry() {
    try (Fixture g = new Fixture(b -> b.failureThrottle(2, Duration.ofMinutes(1)))) {
      String key = g.create("ledgers:read").plaintext().reveal();
      g.auth.authenticate(Fixture.wrongSecret(key, 1), ""); // t0
      g.clock.advance(Duration.ofSeconds(40));
      g.auth.authenticate(Fixture.wrongSecret(key, 2), ""); // t0 + 40 s
      g.clock.advance(Duration.ofSeconds(10));

      assertThat(g.auth.authenticate(Fixture.wrongSecret(key, 3), "")) // t0 + 50 s
          .isEqualTo(AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofSeconds(10)));

      g.clock.advance(Duration.ofSeconds(11)); // t0 + 61 s: only the first attempt has left
      assertThat(g.auth.authenticate(Fixture.wrongSecret(key, 4), ""))
          .isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_INVALID_API_KEY));
      assertThat(g.auth.authenticate(Fixture.wrongSecret(key, 5), ""))
          .isEqualTo(AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofSeconds(39)));
      assertThat(g.hasher.verifications).hasValue(3);
    }
  }

  /**
   * Issue 9, finding 1: a flood of wrong secrets for a key's lookup id never refuses the key's
   * holder once its presentation is proven, whether its record is cached or has expired and is
   * read again; the flood's own hash work stays capped by the throttle.
   */
  @Test
  void aFloodOnALookupIdNeverRefusesItsProvenHolderBeforeOrAfterItsRecordExpires() {
    try (Fixture g = new Fixture(b -> b.failureThrottle(3, Duration.ofMinutes(1)))) {
      String key = g.create("ledgers:read").plaintext().reveal();
      assertThat(g.auth.authenticate(key, "192.0.2.1").granted()).isTrue();
      int reads = g.store.readsById.get();

      for (int minute = 0; minute < 5; minute++) {
        for (int i = 0; i < 200; i++) {
          g.auth.authenticate(Fixture.wrongSecret(key, minute * 1000 + i), "198.51.100.66");
          assertThat(g.auth.decide(key, g.resource("ledgers"), "GET", "192.0.2.1"))
              .as("minute %d, attempt %d", minute, i)
              .isInstanceOf(AuthResult.Granted.class);
        }
        g.clock.advance(Duration.ofSeconds(61)); // the record expires; so does the window
        assertThat(g.auth.authenticate(key, "192.0.2.1").granted()).isTrue();
      }

      // The holder's own verification, then 3 wrong secrets per window: nothing more.
      assertThat(g.hasher.verifications).hasValue(1 + 5 * 3);
      assertThat(g.store.readsById.get() - reads).as("one read by id per expired record").isEqualTo(5);
    }
  }

  @Test
  void aCachedKeyIsNeverRefusedByAFloodOfWrongSecretsForItsOwnOrAnotherLookupId() {
    try (Fixture g = new Fixture(b -> b.failureThrottle(3, Duration.ofMinutes(1)))) {
      String key = g.create("ledgers:read").plaintext().reveal();
      String other = g.create("ledgers:read").plaintext().reveal();
      assertThat(g.auth.authenticate(key, "").granted()).isTrue();

      for (int i = 0; i < 200; i++) {
        g.auth.authenticate(Fixture.wrongSecret(key, i), "");
        g.auth.authenticate(Fixture.wrongSecret(other, i), "");
        assertThat(g.auth.decide(key, g.resource("ledgers"), "GET", "").granted()).isTrue();
      }
      assertThat(g.hasher.verifications).hasValue(1 + 3 + 3);
    }
  }

  @Test
  void aCachedKeyWhoseRecordChangedIsReloadedDespiteAFloodOnItsLookupId() {
    try (Fixture g = new Fixture(b -> b.failureThrottle(3, Duration.ofMinutes(1)))) {
      CreatedKey created = g.create("ledgers:read");
      String key = created.plaintext().reveal();
      assertThat(g.auth.authenticate(key, "").granted()).isTrue();
      for (int i = 0; i < 10; i++) {
        g.auth.authenticate(Fixture.wrongSecret(key, i), "");
      }

      // Rotation changes the old key's record (its expiry): the cached entry must be re-read.
      g.auth.keys().rotate(BlnkPrincipal.master(), created.apiKey().id().value(), KeyQuery.anyOwner(), Duration.ofHours(1)).orElseThrow();

      assertThat(g.auth.authenticate(key, "").granted()).isTrue();
      g.clock.advance(Duration.ofHours(1));
      assertThat(g.auth.authenticate(key, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
      // A revoked key's holder learns it is revoked, not that it is rate limited.
      CreatedKey other = g.create("ledgers:read");
      String otherKey = other.plaintext().reveal();
      g.auth.authenticate(otherKey, "");
      for (int i = 0; i < 10; i++) {
        g.auth.authenticate(Fixture.wrongSecret(otherKey, i), "");
      }
      g.auth.keys().revoke(BlnkPrincipal.master(), other.apiKey().id().value(), KeyQuery.anyOwner()).orElseThrow();
      assertThat(g.auth.authenticate(otherKey, "")).isEqualTo(AuthResult.Denied.of(ErrorCode.AUTH_EXPIRED_API_KEY));
    }
  }

  /**
   * While wrong secrets hold every hash permit, a cached key is still answered at once: its
   * decision never waits for a verification.
   */
  @Test
  void aCachedKeyIsNotSlowedByAFloodThatSaturatesTheVerifiers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch verifying = new CountDownLatch(1);
    try (Fixture g =
        new Fixture(b -> b.verificationLimit(1, Duration.ofSeconds(30)).failureThrottle(1000, Duration.ofMinutes(1)))) {
      String key = g.create("ledgers:read").plaintext().reveal();
      assertThat(g.auth.authenticate(key, "").granted()).isTrue();
      g.hasher.hook =
          presented -> {
            verifying.countDown();
            release.await(30, TimeUnit.SECONDS);
          };
      ExecutorService flood = Executors.newFixedThreadPool(8);
      try {
        for (int i = 0; i < 8; i++) {
          int variant = i;
          flood.submit(() -> g.auth.authenticate(Fixture.wrongSecret(key, variant), ""));
        }
        assertThat(verifying.await(10, TimeUnit.SECONDS)).isTrue();

        ExecutorService probe = Executors.newSingleThreadExecutor();
        Future<AuthResult> decision =
            probe.submit(() -> g.auth.decide(key, g.resource("ledgers"), "GET", ""));
        // Generous bound: the flood is parked for 30 s, so finishing at all proves no waiting.
        assertThat(decision.get(10, TimeUnit.SECONDS).granted()).isTrue();
        probe.shutdown();
      } finally {
        release.countDown();
        flood.shutdown();
        assertThat(flood.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void whenEveryVerifierIsBusyAnUncachedKeyIsRateLimitedNotGrantedOrInvalid() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch verifying = new CountDownLatch(1);
    try (Fixture g = new Fixture(b -> b.verificationLimit(1, Duration.ofMillis(50)))) {
      String busy = g.create("ledgers:read").plaintext().reveal();
      String waiting = g.create("ledgers:read").plaintext().reveal();
      g.hasher.hook = presented -> {
        verifying.countDown();
        release.await(30, TimeUnit.SECONDS);
      };
      ExecutorService holder = Executors.newSingleThreadExecutor();
      try {
        Future<AuthResult> first = holder.submit(() -> g.auth.authenticate(busy, ""));
        assertThat(verifying.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(g.auth.authenticate(waiting, ""))
            .isEqualTo(AuthResult.Denied.of(ErrorCode.GEN_RATE_LIMITED).withRetryAfter(Duration.ofSeconds(1)));

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).granted()).isTrue();
        g.hasher.hook = presented -> {};
        assertThat(g.auth.authenticate(waiting, "").granted()).isTrue();
      } finally {
        release.countDown();
        holder.shutdown();
      }
    }
  }

  // ---- rehash on upgrade --------------------------------------------------------------------

  @Test
  void aKeyHashedWithOldParametersIsRehashedAfterASuccessfulVerification() {
    CountingKeyStore store = new CountingKeyStore();
    String key;
    String lookupId;
    try (Fixture old = new Fixture(store, new CountingHasher(KeyHasher.argon2id(64, 1, 1)), b -> b)) {
      CreatedKey created = old.create("ledgers:read");
      key = created.plaintext().reveal();
      lookupId = created.plaintext().lookupId();
    }
    String oldHash = store.stored(lookupId).keyHash();
    assertThat(oldHash).startsWith("$argon2id$v=19$m=64,t=1,p=1$");

    CountingHasher upgraded = new CountingHasher(KeyHasher.argon2id(128, 1, 1));
    try (Fixture next = new Fixture(store, upgraded, b -> b)) {
      assertThat(next.auth.authenticate(key, "").granted()).isTrue();
    } // close() waits for the background rehash

    String newHash = store.stored(lookupId).keyHash();
    assertThat(newHash).startsWith("$argon2id$v=19$m=128,t=1,p=1$").isNotEqualTo(oldHash);
    assertThat(store.replacedHashes).hasValue(1);
    try (Fixture again = new Fixture(store, new CountingHasher(KeyHasher.argon2id(128, 1, 1)), b -> b)) {
      assertThat(again.auth.authenticate(key, "").granted()).isTrue();
    }
    assertThat(store.replacedHashes).hasValue(1);
  }

  @Test
  void aKeyNeedingARehashStillAuthenticatesAfterClose() {
    CountingKeyStore store = new CountingKeyStore();
    String key;
    try (Fixture old = new Fixture(store, new CountingHasher(KeyHasher.argon2id(64, 1, 1)), b -> b)) {
      key = old.create("ledgers:read").plaintext().reveal();
    }
    Fixture next = new Fixture(store, new CountingHasher(KeyHasher.argon2id(128, 1, 1)), b -> b);
    next.close();

    assertThat(next.auth.authenticate(key, "").granted()).isTrue();
    assertThat(store.replacedHashes).hasValue(0);
  }

  @Test
  void aWrongSecretNeverTriggersARehash() {
    CountingKeyStore store = new CountingKeyStore();
    String key;
    try (Fixture old = new Fixture(store, new CountingHasher(KeyHasher.argon2id(64, 1, 1)), b -> b)) {
      key = old.create("ledgers:read").plaintext().reveal();
    }
    try (Fixture next =
        new Fixture(store, new CountingHasher(KeyHasher.argon2id(128, 1, 1)), b -> b)) {
      next.auth.authenticate(Fixture.wrongSecret(key, 5), "");
    }

    assertThat(store.replacedHashes).hasValue(0);
  }
}
