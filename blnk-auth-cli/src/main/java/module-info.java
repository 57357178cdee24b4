/**
 * The operator CLI, {@code blnk-auth}: schema migrations, key management, the Blnk Core import,
 * master-key generation and a deployment check. An application, not a library: it exports nothing
 * (run it with {@code java -p ... -m io.blnk.auth.cli/io.blnk.auth.cli.BlnkAuthCli}, or the
 * {@code -all} jar); picocli reads its commands reflectively.
 */
module io.blnk.auth.cli {
  requires io.blnk.auth.jdbc;
  requires info.picocli;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires java.logging;

  opens io.blnk.auth.cli to
      info.picocli;
}
