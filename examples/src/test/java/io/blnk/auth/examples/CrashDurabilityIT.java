package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9.6: the packaged example server, in its own process, is killed with {@code SIGKILL}
 * ({@code kill -9}) in the middle of a burst of creates, and restarted on the same database: every
 * create that answered 201 is there and authenticates. On the default H2 file database and on the
 * machine's PostgreSQL (in a schema of its own, dropped afterwards).
 */
final class CrashDurabilityIT {

  private static final Path JAR =
      Path.of("").toAbsolutePath().getParent().resolve("examples/target/blnk-ledger-server.jar");
  private static final String MASTER = "Crash-test-master-key-0123456789-abcdefghijKLMNOP";
  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final int WORKERS = 4;
  private static final int ACKNOWLEDGED_BEFORE_KILL = 60;

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private Process server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroyForcibly();
      server.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void theDefaultH2KeepsEveryAcknowledgedCreate(@TempDir Path workDir) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("BLNK_DATA_DIR", workDir.resolve("data").toString());
    killMidBurstAndCheck(env, workDir);
  }

  @Test
  void postgresKeepsEveryAcknowledgedCreate(@TempDir Path workDir) throws Exception {
    String schema = "blnk_crash_" + Long.toHexString(System.nanoTime());
    try (Connection c = connect()) {
      execute(c, "CREATE SCHEMA " + schema);
    }
    try {
      Map<String, String> env = new HashMap<>();
      env.put("BLNK_DATA_DIR", workDir.resolve("data").toString());
      env.put("BLNK_DATA_SOURCE_DNS", PG + "&currentSchema=" + schema);
      killMidBurstAndCheck(env, workDir);
    } finally {
      try (Connection c = connect()) {
        execute(c, "DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static Connection connect() {
    try {
      return DriverManager.getConnection(PG);
    } catch (SQLException e) {
      assumeTrue(!Boolean.getBoolean("blnk.requireDatabases"), "PostgreSQL is required: " + e);
      assumeTrue(false, "PostgreSQL not reachable: " + e);
      throw new AssertionError(e);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private void killMidBurstAndCheck(Map<String, String> env, Path workDir) throws Exception {
    int port = freePort();
    env.put("BLNK_SERVER_PORT", Integer.toString(port));
    env.put("BLNK_SERVER_HOST", "127.0.0.1");
    env.put("BLNK_SERVER_SECRET_KEY", MASTER);
    server = start(env, workDir, port);

    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // api_key_id -> key
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService burst = Executors.newFixedThreadPool(WORKERS);
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      workers.add(
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; !stop.get(); i++) {
                  try {
                    HttpResponse<String> r = create(port, "crash-" + worker + "-" + i);
                    if (r.statusCode() == 201) {
                      JsonNode k = Records.JSON.readTree(r.body());
                      acknowledged.put(k.path("api_key_id").asText(), k.path("key").asText());
                    }
                  } catch (IOException killed) {
                    return; // the server is gone
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              burst));
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(acknowledged.size()).as("creates acknowledged before the kill").isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
    server.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no flush
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    stop.set(true);
    CompletableFuture.allOf(workers.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    burst.shutdown();
    Map<String, String> before = Map.copyOf(acknowledged);

    server = start(env, workDir, port);

    JsonNode listed =
        Records.JSON.readTree(get(port, "/api-keys?owner=crash-owner", MASTER).body());
    Set<String> present = new HashSet<>();
    listed.forEach(k -> present.add(k.path("api_key_id").asText()));
    assertThat(present).as(before.size() + " acknowledged creates, all present after kill -9").containsAll(before.keySet());
    for (Map.Entry<String, String> k : before.entrySet()) {
      assertThat(get(port, "/ledgers", k.getValue()).statusCode()).as(k.getKey() + " authenticates").isEqualTo(200);
    }
    System.out.println(
        "kill -9 durability (" + env.getOrDefault("BLNK_DATA_SOURCE_DNS", "H2 default").replaceAll("\\?.*", "")
            + "): " + before.size() + " acknowledged, " + before.size() + " present, "
            + (present.size() - before.size()) + " more stored than acknowledged");
  }

  private HttpResponse<String> create(int port, String name) throws IOException, InterruptedException {
    String body =
        "{\"name\":\"" + name + "\",\"owner\":\"crash-owner\",\"scopes\":[\"ledgers:read\"],\"expires_at\":\""
            + Instant.now().plus(Duration.ofDays(1)) + "\"}";
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api-keys"))
            .timeout(Duration.ofSeconds(30))
            .header("X-Blnk-Key", MASTER)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path, String key) throws IOException, InterruptedException {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("X-Blnk-Key", key)
            .GET()
            .build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static Process start(Map<String, String> env, Path workDir, int port) throws Exception {
    assertThat(JAR).as("packaged by mvn package").exists();
    ProcessBuilder pb =
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("BLNK_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  if (line.contains("listening on http://127.0.0.1:" + port)) {
                    ready.complete(null);
                  }
                }
                synchronized (output) {
                  ready.completeExceptionally(new IllegalStateException("server exited: " + output));
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "crash-server-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(120, TimeUnit.SECONDS);
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
