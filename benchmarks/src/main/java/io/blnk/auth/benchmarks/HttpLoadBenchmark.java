package io.blnk.auth.benchmarks;

import io.blnk.auth.AuthListener;
import io.blnk.auth.BlnkAuth;
import io.blnk.auth.BlnkPrincipal;
import io.blnk.auth.CreateKeyRequest;
import io.blnk.auth.key.KeyHasher;
import io.blnk.auth.servlet.BlnkAuthFilter;
import io.blnk.auth.store.KeyStore;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Load run (issue 6, item 5): requests per second and p50/p99 latency of one trivial endpoint on
 * embedded Jetty 12, with {@link BlnkAuthFilter} and a scoped key, versus the same endpoint without
 * the filter, under a loopback keep-alive load generator in the same JVM. Every server receives the
 * very same request bytes, key header included. Rounds alternate which server goes first so that
 * both see the same machine; a third server with a pass-through filter shows the noise floor.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.blnk.auth.benchmarks.HttpLoadBenchmark [seconds] [connections] [rounds]</pre>
 */
public final class HttpLoadBenchmark {

  private static final byte[] BODY = "{\"ledgers\":[]}".getBytes(StandardCharsets.UTF_8);

  private HttpLoadBenchmark() {}

  /** Trivial endpoint: the same bytes for every request. */
  static final class Ledgers extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.setContentLength(BODY.length);
      resp.getOutputStream().write(BODY);
    }
  }

  /** Reference point: a filter that only passes the request on, to separate Jetty's filter chain cost. */
  static final class PassThrough implements jakarta.servlet.Filter {
    @Override
    public void doFilter(
        jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse resp, jakarta.servlet.FilterChain chain)
        throws IOException, jakarta.servlet.ServletException {
      chain.doFilter(new jakarta.servlet.http.HttpServletRequestWrapper((HttpServletRequest) req), resp);
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;

    BlnkAuth auth =
        BlnkAuth.builder()
            .store(KeyStore.inMemory())
            .masterKey("bench-master-key-0123456789-abcdefghijklmnop")
            .hasher(KeyHasher.argon2id())
            .listener(AuthListener.none())
            .build();
    String key =
        auth.keys()
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

    Server plain = server(null);
    Server secured = server(BlnkAuthFilter.builder(auth).build());
    Server passing = server(new PassThrough());
    int passingPort = ((ServerConnector) passing.getConnectors()[0]).getLocalPort();
    int plainPort = ((ServerConnector) plain.getConnectors()[0]).getLocalPort();
    int securedPort = ((ServerConnector) secured.getConnectors()[0]).getLocalPort();

    System.out.printf(
        "HTTP load: GET /ledgers, %d keep-alive connections, %d s per run, %d rounds, %d cores%n",
        connections, seconds, rounds, Runtime.getRuntime().availableProcessors());
    for (int w = 0; w < 2; w++) { // warm-up: JIT both paths before measuring
      run(plainPort, key, connections, seconds);
      run(securedPort, key, connections, seconds);
    }
    List<Result> base = new ArrayList<>();
    List<Result> ours = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    List<Result> pass = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      // Alternate which side goes first, so drift in the machine's load favours neither.
      if (r % 2 == 0) {
        base.add(run(plainPort, key, connections, seconds));
        ours.add(run(securedPort, key, connections, seconds));
      } else {
        ours.add(run(securedPort, key, connections, seconds));
        base.add(run(plainPort, key, connections, seconds));
      }
      costs.add(1 - ours.get(r).rps / base.get(r).rps);
      pass.add(run(passingPort, key, connections, seconds));
      System.out.printf("  round %d: without filter %s | with filter %s%n", r + 1, base.get(r), ours.get(r));
    }
    Result b = median(base);
    Result o = median(ours);
    Result p = median(pass);
    System.out.println();
    System.out.println("| run | requests/s | p50 µs | p99 µs |");
    System.out.println("|---|---|---|---|");
    System.out.printf(Locale.ROOT, "| without filter (baseline) | %.0f | %.1f | %.1f |%n", b.rps, b.p50 / 1e3, b.p99 / 1e3);
    System.out.printf(Locale.ROOT, "| (reference) a pass-through filter wrapping the request | %.0f | %.1f | %.1f |%n", p.rps, p.p50 / 1e3, p.p99 / 1e3);
    System.out.printf(Locale.ROOT, "| with BlnkAuthFilter + scoped key | %.0f | %.1f | %.1f |%n", o.rps, o.p50 / 1e3, o.p99 / 1e3);
    costs.sort(Double::compare);
    System.out.printf(
        Locale.ROOT,
        "filter cost: %.1f%% of throughput (median of %d paired rounds; range %.1f%% to %.1f%%;"
            + " target < 10%%)%n",
        100 * costs.get(costs.size() / 2), costs.size(), 100 * costs.get(0), 100 * costs.get(costs.size() - 1));
    plain.stop();
    passing.stop();
    secured.stop();
    auth.close();
  }

  static Server server(jakarta.servlet.Filter filter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(new Ledgers()), "/*");
    server.setHandler(context);
    server.start();
    return server;
  }

  record Result(double rps, long p50, long p99, long errors) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.0f req/s p50 %.1f µs p99 %.1f µs%s",
          rps, p50 / 1e3, p99 / 1e3, errors > 0 ? " errors " + errors : "");
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
        ("GET /ledgers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (key == null ? "" : "X-Blnk-Key: " + key + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
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
        Arrays.stream(errors).sum());
  }

  /** Reads one HTTP/1.1 response with a Content-Length; returns its status. */
  static int readResponse(InputStream in, byte[] buf) throws IOException {
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
    int length = 0;
    if (cl >= 0) {
      int eol = head.indexOf('\r', cl);
      length = Integer.parseInt(head.substring(cl + 15, eol).trim());
    }
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
