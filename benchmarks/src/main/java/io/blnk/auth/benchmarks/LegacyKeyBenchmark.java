package io.blnk.auth.benchmarks;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.blnk.auth.AuthResult;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.jdbc.BlnkCoreHasher;
import io.blnk.auth.key.ApiKey;
import io.blnk.auth.key.ApiKeyId;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.key.OwnerId;
import io.blnk.auth.scope.Resource;
import io.blnk.auth.scope.ScopeSet;
import io.blnk.auth.store.KeyStore;
import io.blnk.auth.store.StoredKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Imported Blnk Core keys beside native ones (issue 14): the first request of a key on a node
 * (store lookup + one hash: bcrypt cost 10 for a legacy key, Argon2id m=19456,t=2,p=1 for a native
 * one), and the cached decision afterwards, whose goal is to be identical for both.
 */
@Fork(1)
public class LegacyKeyBenchmark {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A Blnk Core key and its imported row (bcrypt cost 10), made once. */
  @State(Scope.Benchmark)
  public static class Keys {
    String legacy;
    StoredKey legacyRow;
    String legacyHash;

    @Setup(Level.Trial)
    public void setUp() {
      byte[] b = new byte[32];
      RANDOM.nextBytes(b);
      legacy = Base64.getUrlEncoder().encodeToString(b);
      legacyHash = BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(10, legacy.toCharArray());
      ApiKey key =
          new ApiKey(
              ApiKeyId.random(),
              "imported",
              new OwnerId("bench-owner"),
              ScopeSet.parse(Fixtures.FIVE_SCOPES),
              Optional.of(Instant.now().plus(Duration.ofDays(1))),
              Instant.now(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              legacy.substring(0, 8));
      legacyRow = new StoredKey(key, legacy.substring(0, 16), legacyHash);
    }
  }

  /** A fresh node per invocation: nothing cached, the row freshly imported (still bcrypt). */
  @State(Scope.Thread)
  public static class Cold {
    BlnkAuth auth;
    String nativeKey;
    Resource ledgers;

    @Setup(Level.Invocation)
    public void setUp(Keys keys) {
      KeyStore store = KeyStore.inMemory();
      store.insert(keys.legacyRow);
      auth =
          Fixtures.builder(store, BlnkCoreHasher.upgradingTo(KeyHasher.argon2id()))
              .acceptBlnkCoreKeys(true)
              .build();
      nativeKey = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
      ledgers = auth.registry().find("ledgers").orElseThrow();
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      auth.close();
    }
  }

  /** One node with both keys verified and cached. */
  @State(Scope.Benchmark)
  public static class Warm {
    BlnkAuth auth;
    String legacy;
    String nativeKey;
    Optional<Resource> ledgers;

    @Setup(Level.Trial)
    public void setUp(Keys keys) {
      KeyStore store = KeyStore.inMemory();
      store.insert(keys.legacyRow);
      auth =
          Fixtures.builder(store, BlnkCoreHasher.upgradingTo(KeyHasher.argon2id()))
              .acceptBlnkCoreKeys(true)
              .build();
      legacy = keys.legacy;
      nativeKey = Fixtures.createKey(auth, Fixtures.FIVE_SCOPES);
      ledgers = auth.registry().find("ledgers");
      Fixtures.requireGranted(auth.decide(legacy, ledgers, "GET", ""), "legacy");
      Fixtures.requireGranted(auth.decide(nativeKey, ledgers, "GET", ""), "native");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      auth.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 15)
  public AuthResult coldLegacyBcrypt10(Cold cold, Keys keys) {
    return cold.auth.decide(keys.legacy, Optional.of(cold.ledgers), "GET", "");
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 15)
  public AuthResult coldNativeArgon2id(Cold cold) {
    return cold.auth.decide(cold.nativeKey, Optional.of(cold.ledgers), "GET", "");
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public AuthResult cachedLegacy(Warm warm) {
    return warm.auth.decide(warm.legacy, warm.ledgers, "GET", "");
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 3, time = 1)
  public AuthResult cachedNative(Warm warm) {
    return warm.auth.decide(warm.nativeKey, warm.ledgers, "GET", "");
  }
}
