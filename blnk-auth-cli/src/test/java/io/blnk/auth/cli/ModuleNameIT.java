package io.blnk.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (not the shaded {@code -all} one) is the explicit module {@code
 * io.blnk.auth.cli}: it exports nothing and opens its package to picocli only. Runs after {@code
 * package} (failsafe), on the jar itself.
 */
final class ModuleNameIT {

  @Test
  void thePackagedJarIsTheModuleIoBlnkAuthCli() {
    Path jar = Path.of(System.getProperty("blnk.jar", "target/missing.jar"));
    assertThat(jar).exists();
    assertThat(Files.isRegularFile(jar)).isTrue();

    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertThat(found).hasSize(1);
    ModuleDescriptor d = found.iterator().next().descriptor();

    assertThat(d.name()).isEqualTo("io.blnk.auth.cli");
    assertThat(d.isAutomatic()).isFalse();
    assertThat(d.exports()).isEmpty();
    assertThat(d.opens())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.source()).isEqualTo("io.blnk.auth.cli");
              assertThat(o.targets()).containsExactly("info.picocli");
            });
    assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()))
        .contains("io.blnk.auth.jdbc", "info.picocli");
  }
}
