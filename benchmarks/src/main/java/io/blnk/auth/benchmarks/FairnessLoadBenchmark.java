package io.blnk.auth.benchmarks;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.key.KeyFormat;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.store.KeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Load benchmark of issue 17, finding 1 (not a test): one tenant floods with wrong secrets for 300
 * of its own lookup ids over 160 keep-alive connections, while another tenant makes first uses of
 * fresh keys (one at a time) over HTTP. Both talk to embedded Jetty 12 with {@link BlnkAuthFilter}
 * and real Argon2id (default parameters), each from its own loopback address (127.0.0.2 for the
 * attacker, 127.0.0.3 for the legitimate tenant), so the per-address budget sees two clients.
 *
 * <p>Printed: the legitimate first use's p50 and p99 in a quiet run and under the flood, and the
 * attacker's forced hash verifications per second; once with the fair budgets (default {@code
 * verificationShare(0.5)}), and as the baseline in the same run, once with the budgets off ({@code
 * verificationShare(1.0)}: one source may take every verifier, as before). The goal:
 * legitimate p99 under the flood within 2× of the quiet run. The original figure for the
 * attacker was 61–68 forced verifications per second.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.blnk.auth.benchmarks.FairnessLoadBenchmark
 * [seconds per phase] [attacker connections] [attacker lookup ids]}.
 */
public final class FairnessLoadBenchmark {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private FairnessLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 160;
    int attackerIds = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    System.out.printf(
        Locale.ROOT,
        "fairness load: %d s per phase, attacker %d connections over %d of its own lookup ids, %d cores%n",
        seconds, connections, attackerIds, Runtime.getRuntime().availableProcessors());
    List<String> rows = new ArrayList<>();
    for (double share : new double[] {0.5, 1.0}) {
      rows.addAll(scenario(share, seconds, connections, attackerIds));
    }
    System.out.println();
    System.out.println("| verifier share | phase | legit first uses | legit p50 ms | legit p99 ms | legit non-200 | attacker req/s | attacker forced verifications/s |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static List<String> scenario(double share, int seconds, int connections, int attackerIds)
      throws Exception {
    CountingHasher hasher = new CountingHasher(KeyHasher.argon2id());
    List<String> rows = new ArrayList<>();
    try (BlnkAuth auth =
        Fixtures.builder(KeyStore.inMemory(), hasher).verificationShare(share).build()) {
      Server server = HttpLoadBenchmark.server(BlnkAuthFilter.builder(auth).build());
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      try {
        Instant expiry = Instant.now().plus(Duration.ofDays(1));
        List<String> attackerKeys = new ArrayList<>();
        for (int i = 0; i < attackerIds; i++) {
          attackerKeys.add(Fixtures.createKeyFor(auth, "mallory", Fixtures.FIVE_SCOPES, expiry));
        }
        // Fresh keys for the legitimate tenant, made before the clock starts (creates hash too).
        int perPhase = Math.max(20, seconds * 5);
        List<String> quietKeys = new ArrayList<>();
        List<String> floodKeys = new ArrayList<>();
        for (int i = 0; i < perPhase; i++) {
          quietKeys.add(Fixtures.createKeyFor(auth, "alice", Fixtures.FIVE_SCOPES, expiry));
          floodKeys.add(Fixtures.createKeyFor(auth, "alice", Fixtures.FIVE_SCOPES, expiry));
        }
        Legit quiet = firstUses(port, quietKeys, seconds);
        rows.add(row(share, "quiet", quiet, 0, 0));

        AtomicBoolean flooding = new AtomicBoolean(true);
        LongAdder attackerRequests = new LongAdder();
        ConcurrentHashMap<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        CountDownLatch stopped = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
          int id = c;
          Thread t = new Thread(() -> {
            try {
              flood(port, attackerKeys, id, flooding, attackerRequests, statuses);
            } finally {
              stopped.countDown();
            }
          });
          t.setDaemon(true);
          t.start();
        }
        Thread.sleep(1000); // let the flood reach its pace
        int before = hasher.verifications();
        long requestsBefore = attackerRequests.sum();
        long start = System.nanoTime();
        Legit underFlood = firstUses(port, floodKeys, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        int verifications = hasher.verifications() - before - underFlood.count;
        long requests = attackerRequests.sum() - requestsBefore;
        flooding.set(false);
        stopped.await();
        rows.add(row(share, "flood", underFlood, requests / elapsed, verifications / elapsed));
        System.out.printf(Locale.ROOT, "share %.1f: attacker answers by status %s%n", share, statuses);
      } finally {
        server.stop();
      }
    }
    return rows;
  }

  private static String row(double share, String phase, Legit legit, double attackRps, double forced) {
    return String.format(
        Locale.ROOT,
        "| %.1f | %s | %d | %.1f | %.1f | %d | %s | %s |",
        share, phase, legit.count, legit.p50 / 1e6, legit.p99 / 1e6, legit.failures,
        phase.equals("quiet") ? "—" : String.format(Locale.ROOT, "%.0f", attackRps),
        phase.equals("quiet") ? "—" : String.format(Locale.ROOT, "%.1f", forced));
  }

  private record Legit(int count, long p50, long p99, int failures) {}

  /** One first use at a time, each a new connection's single request, for about {@code seconds}. */
  private static Legit firstUses(int port, List<String> keys, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[] latencies = new long[keys.size()];
    int n = 0;
    int failures = 0;
    byte[] buf = new byte[8192];
    for (String key : keys) {
      if (System.nanoTime() > end) {
        break;
      }
      byte[] request = request(key);
      try (Socket s = connect(port, "127.0.0.3")) {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        long t0 = System.nanoTime();
        out.write(request);
        int status = HttpLoadBenchmark.readResponse(in, buf);
        latencies[n++] = System.nanoTime() - t0;
        if (status != 200) {
          failures++;
        }
      }
      Thread.sleep(50);
    }
    long[] sorted = Arrays.copyOf(latencies, n);
    Arrays.sort(sorted);
    return new Legit(n, percentile(sorted, 0.50), percentile(sorted, 0.99), failures);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static void flood(
      int port,
      List<String> own,
      int id,
      AtomicBoolean flooding,
      LongAdder requests,
      ConcurrentHashMap<Integer, LongAdder> statuses) {
    SecureRandom random = new SecureRandom();
    byte[] buf = new byte[8192];
    int next = id;
    while (flooding.get()) {
      try (Socket s = connect(port, "127.0.0.2")) {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        while (flooding.get()) {
          String wrong = wrongSecret(own.get(next++ % own.size()), random);
          out.write(request(wrong));
          int status = HttpLoadBenchmark.readResponse(in, buf);
          requests.increment();
          statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
        }
      } catch (IOException e) {
        statuses.computeIfAbsent(-1, k -> new LongAdder()).increment();
      }
    }
  }

  private static Socket connect(int port, String from) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port));
    return s;
  }

  private static byte[] request(String key) {
    return ("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Blnk-Key: " + key + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The key's prefix and lookup id, then a random secret and its valid checksum. */
  static String wrongSecret(String key, SecureRandom random) {
    int keep = key.indexOf('_') + 1 + KeyFormat.LOOKUP_ID_LENGTH;
    StringBuilder head = new StringBuilder(key.substring(0, keep));
    for (int i = 0; i < KeyFormat.BODY_LENGTH - KeyFormat.LOOKUP_ID_LENGTH; i++) {
      head.append(ALPHABET.charAt(random.nextInt(62)));
    }
    CRC32 crc = new CRC32();
    crc.update(head.toString().getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] check = new char[KeyFormat.CHECK_LENGTH];
    for (int i = check.length - 1; i >= 0; i--) {
      check[i] = ALPHABET.charAt((int) (value % 62));
      value /= 62;
    }
    return head.append(check).toString();
  }
}
