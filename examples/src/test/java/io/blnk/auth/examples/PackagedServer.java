package io.blnk.auth.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged example server ({@code examples/target/blnk-ledger-server.jar}) in its own process,
 * started with nothing configured but a free port and a fresh working directory, as the README's
 * quick start runs it; it prints a generated master key, which {@link #masterKey()} returns.
 */
final class PackagedServer implements AutoCloseable {

  static final Path JAR = Path.of("").toAbsolutePath().resolve("target/blnk-ledger-server.jar");

  private final Process process;
  private final List<String> output = new ArrayList<>();
  final int port;

  private PackagedServer(Path jar, Path workDir, int port) throws Exception {
    this.port = port;
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: it is made by mvn package");
    }
    ProcessBuilder pb =
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("BLNK_"));
    env.put("BLNK_SERVER_PORT", Integer.toString(port));
    process = pb.start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  if (line.contains("listening on http://localhost:" + port)) {
                    ready.complete(null);
                  }
                }
                ready.completeExceptionally(new IllegalStateException("server exited: " + lines()));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "packaged-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** Starts the packaged jar in {@code workDir} on a free port and waits until it listens. */
  static PackagedServer start(Path workDir) throws Exception {
    return new PackagedServer(JAR, workDir, freePort());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Everything the server printed so far. */
  List<String> lines() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The master key the server generated and printed once. */
  String masterKey() {
    List<String> out = lines();
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).contains("shown only this once")) {
        for (int j = i + 1; j < out.size(); j++) {
          if (!out.get(j).isBlank()) {
            return out.get(j).strip();
          }
        }
      }
    }
    throw new AssertionError("the server did not print a generated master key: " + out);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
