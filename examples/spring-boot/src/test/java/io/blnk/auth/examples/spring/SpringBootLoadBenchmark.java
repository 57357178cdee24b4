package io.blnk.auth.examples.spring;

import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load run of the Spring Boot example (benchmarks/README.md): requests per second and p50/p99 of
 * {@code GET /ledgers} on the example application with the starter's filter and a scoped key,
 * versus the same application with {@code blnk.auth.enabled=false}, both in this JVM, each on its
 * own embedded Tomcat and in-memory H2 database. The same method as {@code HttpLoadBenchmark}: one
 * loopback keep-alive load generator in the same JVM, the very same request bytes (key header
 * included) to both, warm-up runs, then rounds alternating which side goes first; the cost is the
 * median over rounds of {@code 1 - ours/baseline}. Beside throughput, each run reports the
 * process's CPU time per request (server and load generator together, the same generator for both
 * sides): on a machine shared with other work, throughput follows the neighbours' load, while the
 * CPU a request costs this process does much less, so the paired difference in CPU per request is
 * the figure to quote there.
 *
 * <pre>mvn -B -q -pl examples/spring-boot -am test-compile dependency:build-classpath \
 *   -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xms1g -Xmx1g -cp examples/spring-boot/target/test-classes:examples/spring-boot/target/classes:$(cat /tmp/cp.txt) \
 *   io.blnk.auth.examples.spring.SpringBootLoadBenchmark [seconds] [connections] [rounds] [warm-ups]</pre>
 */
public final class SpringBootLoadBenchmark {

  private static final String MASTER = "bench-master-key-0123456789-abcdefghijklmnop";

  private SpringBootLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int warmUps = args.length > 3 ? Integer.parseInt(args[3]) : 2;

    ConfigurableApplicationContext secured = start(true);
    ConfigurableApplicationContext plain = start(false);
    String key =
        secured.getBean(BlnkAuth.class).keys()
            .create(
                BlnkPrincipal.master(),
                CreateKeyRequest.builder()
                    .name("load")
                    .owner("bench")
                    .scopes("ledgers:read", "transactions:write")
                    .expiresAt("2999-01-01T00:00:00Z")
                    .build())
            .orElseThrow()
            .plaintext()
            .reveal();
    int securedPort = port(secured);
    int plainPort = port(plain);

    System.out.printf(
        "Spring Boot HTTP load: GET /ledgers, %d keep-alive connections, %d s per run, %d warm-up runs each, %d rounds, %d cores%n",
        connections, seconds, warmUps, rounds, Runtime.getRuntime().availableProcessors());
    for (int w = 0; w < warmUps; w++) {
      run(plainPort, key, connections, seconds);
      run(securedPort, key, connections, seconds);
    }
    List<Result> base = new ArrayList<>();
    List<Result> ours = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    List<Double> cpuCosts = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      if (r % 2 == 0) {
        base.add(run(plainPort, key, connections, seconds));
        ours.add(run(securedPort, key, connections, seconds));
      } else {
        ours.add(run(securedPort, key, connections, seconds));
        base.add(run(plainPort, key, connections, seconds));
      }
      costs.add(1 - ours.get(r).rps / base.get(r).rps);
      cpuCosts.add(ours.get(r).cpuPerRequest - base.get(r).cpuPerRequest);
      System.out.printf("  round %d: without starter %s | with starter %s%n", r + 1, base.get(r), ours.get(r));
    }
    Result b = median(base);
    Result o = median(ours);
    System.out.println();
    System.out.println("| run (median round by requests/s) | requests/s | p50 µs | p99 µs | CPU µs per request |");
    System.out.println("|---|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| example without the starter's filter (blnk.auth.enabled=false) | %.0f | %.1f | %.1f | %.1f |%n", b.rps, b.p50 / 1e3, b.p99 / 1e3, b.cpuPerRequest / 1e3);
    System.out.printf(Locale.ROOT, "| example with the starter + scoped key | %.0f | %.1f | %.1f | %.1f |%n", o.rps, o.p50 / 1e3, o.p99 / 1e3, o.cpuPerRequest / 1e3);
    List<Double> baseCpu = new ArrayList<>();
    for (Result r : base) {
      baseCpu.add(r.cpuPerRequest);
    }
    baseCpu.sort(Double::compare);
    cpuCosts.sort(Double::compare);
    double cpuMedian = cpuCosts.get(cpuCosts.size() / 2);
    System.out.printf(
        Locale.ROOT,
        "starter CPU cost: %.1f µs per request, %.1f%% of the baseline's %.1f µs (median of %d paired rounds; range %.1f to %.1f µs)%n",
        cpuMedian / 1e3, 100 * cpuMedian / baseCpu.get(baseCpu.size() / 2), baseCpu.get(baseCpu.size() / 2) / 1e3,
        cpuCosts.size(), cpuCosts.get(0) / 1e3, cpuCosts.get(cpuCosts.size() - 1) / 1e3);
    costs.sort(Double::compare);
    System.out.printf(
        Locale.ROOT,
        "starter cost: %.1f%% of throughput (median of %d paired rounds; range %.1f%% to %.1f%%)%n",
        100 * costs.get(costs.size() / 2), costs.size(), 100 * costs.get(0), 100 * costs.get(costs.size() - 1));
    secured.close();
    plain.close();
  }

  private static ConfigurableApplicationContext start(boolean withStarter) {
    SpringApplication app = new SpringApplication(LedgerApplication.class);
    return app.run(
        "--server.port=0",
        "--server.address=127.0.0.1",
        "--server.tomcat.max-keep-alive-requests=-1", // Tomcat closes after 100 by default; Jetty does not
        "--spring.datasource.url=jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
        "--blnk.auth.enabled=" + withStarter,
        "--blnk.auth.master-key=" + MASTER,
        "--logging.level.root=WARN",
        "--logging.level.io.blnk.auth.events=WARN");
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  record Result(double rps, long p50, long p99, long errors, double cpuPerRequest) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.0f req/s p50 %.1f µs p99 %.1f µs CPU %.1f µs/req%s",
          rps, p50 / 1e3, p99 / 1e3, cpuPerRequest / 1e3, errors > 0 ? " errors " + errors : "");
    }
  }

  private static Result median(List<Result> results) {
    List<Result> sorted = new ArrayList<>(results);
    sorted.sort((x, y) -> Double.compare(x.rps, y.rps));
    return sorted.get(sorted.size() / 2);
  }

  /** Each connection sends one request at a time and reads the whole response. */
  private static Result run(int port, String key, int connections, int seconds) throws Exception {
    byte[] request =
        ("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Blnk-Key: " + key + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[][] latencies = new long[connections][];
    int[] counts = new int[connections];
    long[] errors = new long[connections];
    CountDownLatch done = new CountDownLatch(connections);
    for (int c = 0; c < connections; c++) {
      int id = c;
      Thread t =
          new Thread(
              () -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                try (Socket s = new Socket()) {
                  s.setTcpNoDelay(true);
                  s.connect(new InetSocketAddress("127.0.0.1", port));
                  OutputStream out = s.getOutputStream();
                  InputStream in = s.getInputStream();
                  byte[] buf = new byte[8192];
                  while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    out.write(request);
                    int status = readResponse(in, buf);
                    long t1 = System.nanoTime();
                    if (status != 200) {
                      errors[id]++;
                    }
                    if (n < lat.length) {
                      lat[n++] = t1 - t0;
                    }
                  }
                } catch (IOException e) {
                  errors[id]++;
                }
                latencies[id] = lat;
                counts[id] = n;
                done.countDown();
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    long cpu = os.getProcessCpuTime() - cpuStart;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(latencies[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return new Result(
        total / (double) seconds,
        all[(int) (total * 0.50)],
        all[Math.min(total - 1, (int) (total * 0.99))],
        Arrays.stream(errors).sum(),
        cpu / (double) Math.max(1, total));
  }

  /** Reads one HTTP/1.1 response with a Content-Length; returns its status. */
  private static int readResponse(InputStream in, byte[] buf) throws IOException {
    int len = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      int r = in.read(buf, len, buf.length - len);
      if (r < 0) {
        throw new IOException("connection closed");
      }
      len += r;
      for (int i = 3; i < len; i++) {
        if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
          headerEnd = i + 1;
          break;
        }
      }
    }
    String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    int cl = head.toLowerCase(Locale.ROOT).indexOf("content-length:");
    if (cl < 0) {
      throw new IOException("no Content-Length in response: " + head);
    }
    int eol = head.indexOf('\r', cl);
    int length = Integer.parseInt(head.substring(cl + 15, eol).trim());
    int remaining = length - (len - headerEnd);
    while (remaining > 0) {
      int r = in.read(buf, 0, Math.min(buf.length, remaining));
      if (r < 0) {
        throw new IOException("connection closed");
      }
      remaining -= r;
    }
    return status;
  }
}
