package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blnk's official TypeScript SDK against the packaged example server: installs {@code
 * @blnkfinance/blnk-typescript} at the version pinned in {@code src/test/node/package.json} (and
 * its lock file) from npm into {@code target/sdk-conformance}, starts the packaged server, and runs
 * {@code src/test/node/sdk-conformance.cjs}, which prints the SDK's view of every call and exits
 * non-zero on any failed check: keys, ledgers, balances and transactions through the SDK, {@code
 * BLNK_GENERATED_BY} read back, every refusal code and message as the SDK reports it, rotation
 * through the SDK's low-level request, revoke and retry, and oversized bodies (50 times at 6, 8 and
 * 16 MiB, through the SDK and through curl) each a 413 {@code GEN_PAYLOAD_TOO_LARGE}, never a
 * connection error.
 *
 * <p>Needs {@code node} (20+), {@code npm} with registry access (or its cache) and {@code curl};
 * without them it is skipped, unless {@code -Dblnk.requireNode=true} (as CI runs it) makes that a
 * failure. The output is kept in {@code target/sdk-conformance/output.txt}.
 */
final class SdkConformanceIT {

  private static final boolean REQUIRED = Boolean.getBoolean("blnk.requireNode");
  private static final Path NODE_SOURCES = Path.of("src/test/node").toAbsolutePath();
  private static final Path WORK = Path.of("target/sdk-conformance").toAbsolutePath();

  @Test
  void theOfficialTypeScriptSdkSeesEveryAnswerAsBlnkWould(@TempDir Path serverDir) throws Exception {
    requireTool("node", "--version");
    requireTool("npm", "--version");
    requireTool("curl", "--version");
    installSdk();
    List<String> output = new ArrayList<>();
    int exit;
    try (PackagedServer server = PackagedServer.start(serverDir)) {
      ProcessBuilder pb =
          new ProcessBuilder("node", NODE_SOURCES.resolve("sdk-conformance.cjs").toString())
              .directory(WORK.toFile())
              .redirectErrorStream(true);
      pb.environment().put("BLNK_BASE_URL", server.baseUrl());
      pb.environment().put("BLNK_MASTER_KEY", server.masterKey());
      pb.environment().put("SDK_DIR", WORK.toString());
      pb.environment().putIfAbsent("OVERSIZE_ATTEMPTS", "50");
      Process node = pb.start();
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          System.out.println("[sdk] " + line);
          output.add(line);
        }
      }
      if (!node.waitFor(20, TimeUnit.MINUTES)) {
        node.destroyForcibly();
        throw new AssertionError("the conformance script did not finish: " + output);
      }
      exit = node.exitValue();
    }
    Files.write(WORK.resolve("output.txt"), output, StandardCharsets.UTF_8);
    String text = String.join("\n", output);
    assertThat(exit).as(text).isZero();
    assertThat(text).contains("checks, 0 failed").doesNotContain("FAIL").doesNotContain("fetch failed");
  }

  /** {@code npm ci} of the pinned SDK into target/; skipped (or failed, if required) when npm cannot. */
  private static void installSdk() throws Exception {
    Files.createDirectories(WORK);
    for (String file : List.of("package.json", "package-lock.json")) {
      Files.copy(NODE_SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    Run npm =
        run(
            WORK,
            180,
            "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error");
    unavailableUnless(npm.exit == 0, "npm could not install @blnkfinance/blnk-typescript: " + npm.output);
    assertThat(WORK.resolve("node_modules/@blnkfinance/blnk-typescript/package.json")).exists();
  }

  private static void requireTool(String tool, String versionFlag) throws Exception {
    Run r;
    try {
      r = run(WORK.getParent(), 30, tool, versionFlag);
    } catch (IOException e) {
      r = new Run(-1, e.toString());
    }
    unavailableUnless(r.exit == 0, tool + " is not available (exit " + r.exit + ": " + r.output.strip() + ")");
  }

  private static void unavailableUnless(boolean available, String message) {
    if (available) {
      return;
    }
    if (REQUIRED) {
      throw new AssertionError(message + " and blnk.requireNode=true");
    }
    Assumptions.abort(message + "; skipping (set -Dblnk.requireNode=true to fail instead)");
  }

  private record Run(int exit, String output) {}

  private static Run run(Path dir, int timeoutSeconds, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Run(-1, "timed out");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
