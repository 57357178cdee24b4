package io.blnk.auth.benchmarks;

import io.blnk.auth.key.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.*;

@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TmpExperiments {
  String key;
  byte[] bytes;
  byte[] scratch = new byte[128];
  byte[] out = new byte[32];
  MessageDigest md;
  static final byte[] DIGITS = new byte[128];
  static {
    java.util.Arrays.fill(DIGITS, (byte) -1);
    String a = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < a.length(); i++) DIGITS[a.charAt(i)] = (byte) i;
  }

  @Setup
  public void setUp() throws Exception {
    key = KeyFormat.blnk().generate(new SecureRandom()).reveal();
    bytes = key.getBytes(StandardCharsets.US_ASCII);
    md = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public byte[] sha256() throws Exception {
    md.update(bytes, 0, bytes.length);
    md.digest(out, 0, 32);
    return out;
  }

  @Benchmark
  public long crc32() {
    CRC32 c = new CRC32();
    c.update(bytes, 0, 48);
    return c.getValue();
  }

  @Benchmark
  public int copyAndCheck() {
    String k = key;
    int n = k.length();
    byte[] s = scratch;
    int bad = 0;
    for (int i = 0; i < n; i++) {
      char c = k.charAt(i);
      bad |= c;
      s[i] = (byte) c;
    }
    return bad;
  }

  @Benchmark
  public long tableDigits() {
    String k = key;
    int bad = 0;
    long check = 0;
    for (int i = 5; i < 54; i++) {
      char c = k.charAt(i);
      int d = c < 128 ? DIGITS[c] : -1;
      bad |= d;
    }
    return bad;
  }
  @Benchmark
  public byte[] getBytes() {
    return key.getBytes(StandardCharsets.ISO_8859_1);
  }
}
