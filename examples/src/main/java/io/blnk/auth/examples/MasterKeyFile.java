package io.blnk.auth.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * For trying the example out: a master key generated on first start, printed once, and kept in
 * {@code <data>/master.key} (owner-readable only) for the next start. Real deployments set
 * {@code BLNK_SERVER_SECRET_KEY} instead.
 */
final class MasterKeyFile {

  private MasterKeyFile() {}

  /**
   * Creates {@code file} (it must not exist) readable and writable by its owner only from the
   * moment it exists: the permissions are given to the creating call, never set afterwards, so no
   * other user can open it between its creation and a {@code chmod}. On a file system without
   * POSIX permissions (Windows) the file keeps its directory's access rules.
   */
  static void write(Path file, byte[] content) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    try (SeekableByteChannel out =
        posix
            ? Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
            : Files.newByteChannel(file, options)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
    }
  }

  /** {@code rw-------} (600). */
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

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
    write(file, (key + "\n").getBytes(StandardCharsets.UTF_8));
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
