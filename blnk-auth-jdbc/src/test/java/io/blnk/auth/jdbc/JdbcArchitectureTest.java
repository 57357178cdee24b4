package io.blnk.auth.jdbc;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.blnk.auth.architecture.ApiSurface;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's API is its one package, exposing nothing hidden; it depends on no servlet, JSON
 * or Spring type (bar spring-security-crypto's bcrypt in {@link BlnkCoreHasher}) and on no module
 * above it.
 */
final class JdbcArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter().importPath(ApiSurface.mainClasses());

  @Test
  void exportsOnlyItsApiPackage() {
    assertThat(ApiSurface.unqualifiedExports(ApiSurface.mainClasses()))
        .containsExactly("io.blnk.auth.jdbc");
  }

  @Test
  void publicTypesExposeNoInternalOrPackagePrivateType() {
    classes()
        .that()
        .resideInAPackage("io.blnk.auth.jdbc")
        .and()
        .arePublic()
        .should(ApiSurface.exposeNoHiddenType())
        .check(MAIN);
  }

  @Test
  void dependsOnNoServletJsonOrSpring() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jakarta.servlet..", "javax.servlet..", "com.fasterxml.jackson..")
        .check(MAIN);
    // One deliberate exception to "no Spring": BlnkCoreHasher's bcrypt comes from
    // spring-security-crypto, a standalone jar without dependencies (module
    // spring.security.crypto), not the Spring framework. Only its bcrypt package is allowed, and
    // only in BlnkCoreHasher.
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.springframework..")
                .and(not(resideInAPackage("org.springframework.security.crypto.bcrypt.."))))
        .check(MAIN);
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(BlnkCoreHasher.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.security.crypto.bcrypt..")
        .check(MAIN);
  }

  @Test
  void dependsOnNoInternalsOrModuleAboveIt() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.blnk.auth.internal..",
            "io.blnk.auth.servlet..",
            "io.blnk.auth.cli..",
            "io.blnk.auth.spring..",
            "io.blnk.auth.examples..",
            "io.blnk.auth.benchmarks..")
        .check(MAIN);
  }
}
