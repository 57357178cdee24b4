package io.blnk.auth.cli;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code blnk-auth master-key generate}. */
@Command(
    name = "master-key",
    mixinStandardHelpOptions = true,
    description = "Master key tools.",
    subcommands = MasterKeyCommand.Generate.class)
final class MasterKeyCommand extends Sub implements Runnable {

  @Override
  public void run() {
    spec.commandLine().usage(root().err);
  }

  /** Prints a new random master key: 48 bytes, base64url, 64 characters. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Print a new random master key (48 random bytes, URL-safe base64: 64 characters).",
        "Put it in server.secret_key or BLNK_SERVER_SECRET_KEY; it is printed once, here."
      })
  static final class Generate extends Sub implements Callable<Integer> {
    @Override
    public Integer call() {
      BlnkAuthCli r = root();
      byte[] bytes = new byte[48];
      r.random.nextBytes(bytes);
      String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      io.blnk.auth.MasterKeys.requireStrong(key, "the generated key");
      if (r.json) {
        Output.json(r.out, Map.of("secret_key", key));
      } else {
        r.out.println(key);
      }
      return 0;
    }
  }
}
