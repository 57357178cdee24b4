package io.blnk.auth.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * For trying the example out: a master key generated on first start, printed once, and kept in
 * {@code <data>/master.key} (owner-readable only) for the next start. Real deployments set
 * {@code BLNK_SERVER_SECRET_KEY} instead.
 */
final class MasterKeyFile {

  private MasterKeyFile() {}

  /** The kept key, or a new one (announced on standard output, once). */
  static String loadOrCreate(Path dataDir) throws IOException {
    Path file = dataDir.resolve("master.key");
    if (Files.exists(file)) {
      System.out.println("Using the master key kept in " + file + " (generated on first start).");
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    byte[] random = new byte[36];
    new SecureRandom().nextBytes(random);
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Files.createDirectories(dataDir);
    Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the file keeps the directory's permissions.
    }
    System.out.println();
    System.out.println("=====================================================================");
    System.out.println(" WARNING: no master key was configured, so one was generated for you.");
    System.out.println(" It is for trying the example out, and is shown only this once:");
    System.out.println();
    System.out.println("   " + key);
    System.out.println();
    System.out.println(" It is kept in " + file + " for the next start.");
    System.out.println(" For real use set BLNK_SERVER_SECRET_KEY (e.g. openssl rand -base64 48).");
    System.out.println("=====================================================================");
    System.out.println();
    return key;
  }
}
