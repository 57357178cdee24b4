package io.blnk.auth.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.blnk.auth.architecture.ApiSurface;
import org.junit.jupiter.api.Test;

/**
 * The servlet adapter's API is its one package, exposing nothing hidden; it depends on no Spring
 * type and on no module above or beside it.
 */
final class ServletArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter().importPath(ApiSurface.mainClasses());

  @Test
  void exportsOnlyItsApiPackage() {
    assertThat(ApiSurface.unqualifiedExports(ApiSurface.mainClasses()))
        .containsExactly("io.blnk.auth.servlet");
  }

  @Test
  void publicTypesExposeNoInternalOrPackagePrivateType() {
    classes()
        .that()
        .resideInAPackage("io.blnk.auth.servlet")
        .and()
        .arePublic()
        .should(ApiSurface.exposeNoHiddenType())
        .check(MAIN);
  }

  @Test
  void dependsOnNoSpring() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "com.zaxxer..")
        .check(MAIN);
  }

  @Test
  void dependsOnNoModuleAboveOrBesideIt() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.blnk.auth.jdbc..",
            "io.blnk.auth.cli..",
            "io.blnk.auth.spring..",
            "io.blnk.auth.examples..",
            "io.blnk.auth.benchmarks..")
        .check(MAIN);
  }
}
