package io.blnk.auth.benchmarks;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Claim 4, first half (SPEC §3): the cold path's one hash verification. Argon2id with the default
 * parameters (m=19456 KiB, t=2, p=1) beside the reference's bcrypt cost 10, and the documented fast
 * alternative HMAC-SHA256. Only a cache miss pays this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashVerificationBenchmark {

  private KeyHasher argon2id;
  private String argon2idHash;
  private KeyHasher hmac;
  private String hmacHash;
  private byte[] keyBytes;
  private char[] keyChars;
  private byte[] bcryptHash;

  @Setup(Level.Trial)
  public void setUp() {
    String key = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    keyBytes = key.getBytes(StandardCharsets.UTF_8);
    keyChars = key.toCharArray();
    argon2id = KeyHasher.argon2id();
    argon2idHash = argon2id.hash(keyBytes);
    hmac = Fixtures.hmac();
    hmacHash = hmac.hash(keyBytes);
    bcryptHash = BCrypt.withDefaults().hash(ReferenceDesign.COST, keyChars);
    Fixtures.require(argon2idDefault() && hmacSha256() && bcryptCost10(), "all verify");
  }

  @Benchmark
  public boolean argon2idDefault() {
    return argon2id.verify(argon2idHash, keyBytes);
  }

  @Benchmark
  public boolean hmacSha256() {
    return hmac.verify(hmacHash, keyBytes);
  }

  @Benchmark
  public boolean bcryptCost10() {
    return BCrypt.verifyer().verify(keyChars, bcryptHash).verified;
  }
}
