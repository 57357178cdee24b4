package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged example exactly as the README's quick start says, in its own process and
 * with nothing configured, then runs the README's walkthrough request by request and checks every
 * response against the one the README shows.
 */
final class ReadmeWalkthroughIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```");
  private static final Pattern FIELD = Pattern.compile("the \"(\\w+)\" field");

  /** Values that differ on every run; the README's sample must have the same shape. */
  private static final List<Pattern> VARYING =
      List.of(
          Pattern.compile("api_key_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
          Pattern.compile("blnk_[0-9A-Za-z]{49}"),
          Pattern.compile("blnk_[0-9A-Za-z]{8}"),
          Pattern.compile("(txn|ldg|bln)_[0-9a-f-]{36}"),
          Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));

  private Process server;

  @AfterEach
  void stopServer() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  @Test
  void theReadmeWalkthroughAnswersAsDocumented(@TempDir Path workDir) throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int port = freePort();
    List<String> output = new ArrayList<>();
    startAsTheReadmeSays(readme, workDir, port, output);

    Map<String, String> variables = new HashMap<>();
    variables.put("MASTER_KEY", printedMasterKey(output));

    String walkthrough = section(readme, "## Walkthrough");
    Matcher fence = FENCE.matcher(walkthrough);
    Curl.Response last = null;
    int requests = 0;
    String lastCommand = null;
    while (fence.find()) {
      String kind = fence.group(1);
      String text = fence.group(2);
      if (kind.equals("bash")) {
        for (String line : text.replace("\\\n", " ").split("\n")) {
          line = line.strip();
          if (line.startsWith("export ")) {
            export(line, variables, last);
          } else if (line.startsWith("curl ")) {
            last = Curl.run(line, variables, port);
            lastCommand = line;
            requests++;
          } else if (!line.isEmpty() && !line.startsWith("#")) {
            fail("walkthrough line the test does not know how to run: " + line);
          }
        }
      } else if (kind.equals("http")) {
        assertThat(last).as("an http block must follow a curl command").isNotNull();
        expect(text, last, lastCommand);
      }
    }
    assertThat(requests).as("requests in the walkthrough").isGreaterThanOrEqualTo(8);
  }

  private void startAsTheReadmeSays(String readme, Path workDir, int port, List<String> output)
      throws Exception {
    String quickStart = section(readme, "## Quick start");
    Matcher m = Pattern.compile("java -jar (\\S+\\.jar)").matcher(quickStart);
    assertThat(m.find()).as("the quick start names the packaged jar").isTrue();
    Path jar = ROOT.resolve(m.group(1));
    assertThat(jar).as("packaged by mvn package").exists();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("BLNK_"));
    env.put("BLNK_SERVER_PORT", Integer.toString(port));
    server = pb.start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  if (line.contains("listening on http://localhost:" + port)) {
                    ready.complete(null);
                  }
                }
                ready.completeExceptionally(new IllegalStateException("server exited: " + output));
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
            },
            "example-server-output");
    reader.setDaemon(true);
    reader.start();
    ready.get(90, TimeUnit.SECONDS);
  }

  private static String printedMasterKey(List<String> output) {
    synchronized (output) {
      for (int i = 0; i < output.size(); i++) {
        if (output.get(i).contains("shown only this once")) {
          for (int j = i + 1; j < output.size(); j++) {
            if (!output.get(j).isBlank()) {
              return output.get(j).strip();
            }
          }
        }
      }
    }
    throw new AssertionError("the server did not print a generated master key: " + output);
  }

  private static void export(String line, Map<String, String> variables, Curl.Response last)
      throws IOException {
    String name = line.substring("export ".length(), line.indexOf('=')).strip();
    if (name.equals("MASTER_KEY")) {
      return; // The key the server printed: set before the walkthrough starts.
    }
    Matcher field = FIELD.matcher(line);
    assertThat(field.find()).as("export line must say which response field it takes: " + line).isTrue();
    assertThat(last).as("export after a response").isNotNull();
    JsonNode value = JSON.readTree(last.body()).get(field.group(1));
    assertThat(value).as(field.group(1) + " in " + last.body()).isNotNull();
    variables.put(name, value.asText());
  }

  private static void expect(String block, Curl.Response actual, String command) throws IOException {
    String[] parts = block.split("\n", 2);
    int status = Integer.parseInt(parts[0].split(" ")[1]);
    String body = parts.length > 1 ? parts[1].strip() : "";
    assertThat(actual.status()).as(command + "\n-> " + actual.body()).isEqualTo(status);
    if (body.isEmpty()) {
      assertThat(actual.body()).as(command).isEmpty();
      return;
    }
    assertSameShape(JSON.readTree(body), JSON.readTree(actual.body()), "$", command);
  }

  /** Equal, except values that differ per run, which must only have the same form. */
  private static void assertSameShape(JsonNode expected, JsonNode actual, String path, String command) {
    String where = command + "\nat " + path + ": expected " + expected + " but was " + actual;
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(where).isTrue();
      List<String> expectedNames = new ArrayList<>();
      expected.fieldNames().forEachRemaining(expectedNames::add);
      List<String> actualNames = new ArrayList<>();
      actual.fieldNames().forEachRemaining(actualNames::add);
      assertThat(actualNames).as(where).containsExactlyInAnyOrderElementsOf(expectedNames);
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        assertSameShape(expected.get(name), actual.get(name), path + "." + name, command);
      }
    } else if (expected.isArray()) {
      assertThat(actual.isArray()).as(where).isTrue();
      assertThat(actual.size()).as(where).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertSameShape(expected.get(i), actual.get(i), path + "[" + i + "]", command);
      }
    } else if (expected.isTextual() && actual.isTextual() && !expected.equals(actual)) {
      boolean sameForm =
          VARYING.stream()
              .anyMatch(p -> p.matcher(expected.asText()).matches() && p.matcher(actual.asText()).matches());
      assertThat(sameForm).as(where).isTrue();
    } else {
      assertThat(actual).as(where).isEqualTo(expected);
    }
  }

  private static String section(String readme, String heading) {
    int start = readme.indexOf("\n" + heading);
    assertThat(start).as("README has a section " + heading).isGreaterThanOrEqualTo(0);
    int end = readme.indexOf("\n## ", start + heading.length() + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
