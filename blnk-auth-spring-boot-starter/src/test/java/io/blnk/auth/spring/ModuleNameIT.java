package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged starter jar has the stable module name {@code io.blnk.auth.spring}, as an {@code
 * Automatic-Module-Name} (no module-info: Spring Boot runs on the class path). Runs after {@code
 * package} (failsafe), on the jar itself.
 */
final class ModuleNameIT {

  private static final Path JAR = Path.of(System.getProperty("blnk.jar", "target/missing.jar"));

  @Test
  void theManifestNamesTheModule() throws IOException {
    assertThat(JAR).isRegularFile();
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.blnk.auth.spring");
      assertThat(jar.getEntry("module-info.class")).isNull();
    }
  }

  @Test
  void theModuleSystemSeesThatName() {
    Set<ModuleReference> found = ModuleFinder.of(JAR).findAll();
    assertThat(found).hasSize(1);
    ModuleDescriptor d = found.iterator().next().descriptor();
    assertThat(d.name()).isEqualTo("io.blnk.auth.spring");
    assertThat(d.isAutomatic()).isTrue();
    assertThat(d.packages())
        .contains("io.blnk.auth.spring", "io.blnk.auth.spring.security", "io.blnk.auth.spring.actuate");
  }
}
