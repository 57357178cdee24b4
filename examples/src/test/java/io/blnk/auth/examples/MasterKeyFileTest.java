package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17.6: {@code master.key} is owner-only (600) from its creation, never readable by others. */
final class MasterKeyFileTest {

  @TempDir Path dir;

  @Test
  void theGeneratedKeyFileIsOwnerOnlyAndKeptForTheNextStart() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    String key = MasterKeyFile.loadOrCreate(dir.resolve("data"));
    Path file = dir.resolve("data").resolve("master.key");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file, StandardCharsets.UTF_8).trim()).isEqualTo(key);
    assertThat(MasterKeyFile.loadOrCreate(dir.resolve("data"))).isEqualTo(key);
  }

  /**
   * Watches each new file from the instant it appears: with the permissions given to the creating
   * call there is no moment at which it has any other mode (a create-then-chmod leaves one).
   */
  @Test
  void everyFileIsOwnerOnlyTheFirstTimeItCanBeSeen() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    List<Set<PosixFilePermission>> firstSeen = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      Path file = dir.resolve("k" + i);
      CountDownLatch watching = new CountDownLatch(1);
      Thread watcher =
          new Thread(
              () -> {
                watching.countDown();
                // The file exists once write returns, so this ends; it records the first mode seen.
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    firstSeen.add(Files.getPosixFilePermissions(file));
                    return;
                  } catch (java.io.IOException notYet) {
                    Thread.onSpinWait();
                  }
                }
              });
      watcher.start();
      watching.await();
      try {
        MasterKeyFile.write(file, "secret".getBytes(StandardCharsets.UTF_8));
      } finally {
        watcher.join(10_000);
        watcher.interrupt();
      }
    }
    assertThat(firstSeen).hasSize(50).allSatisfy(p -> assertThat(p).isEqualTo(MasterKeyFile.OWNER_ONLY));
  }

  @Test
  void anExistingFileIsNeverOverwritten() throws Exception {
    Path file = dir.resolve("master.key");
    Files.writeString(file, "kept");
    assertThatThrownBy(() -> MasterKeyFile.write(file, "new".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("kept");
  }
}
