package io.blnk.auth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core's API is its five exported packages, exposing nothing else; it depends on no adapter. */
final class CoreArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter().importPath(ApiSurface.mainClasses());

  @Test
  void exportsExactlyTheFiveApiPackagesAndNoInternalOne() {
    assertThat(ApiSurface.unqualifiedExports(ApiSurface.mainClasses()))
        .containsExactlyInAnyOrder(
            "io.blnk.auth", "io.blnk.auth.scope", "io.blnk.auth.key", "io.blnk.auth.store", "io.blnk.auth.usage")
        .allSatisfy(p -> assertThat(p).doesNotContain("internal"));
  }

  @Test
  void publicTypesOfTheApiExposeNoInternalOrPackagePrivateType() {
    classes()
        .that()
        .resideInAnyPackage(
            "io.blnk.auth", "io.blnk.auth.scope", "io.blnk.auth.key", "io.blnk.auth.store", "io.blnk.auth.usage")
        .and()
        .arePublic()
        .should(ApiSurface.exposeNoHiddenType())
        .check(CORE);
  }

  @Test
  void dependsOnNoServletJdbcJsonOrSpring() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "jakarta.servlet..",
            "javax.servlet..",
            "java.sql..",
            "javax.sql..",
            "com.fasterxml.jackson..",
            "org.springframework..")
        .check(CORE);
  }

  @Test
  void dependsOnNoModuleAboveIt() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.blnk.auth.jdbc..",
            "io.blnk.auth.servlet..",
            "io.blnk.auth.cli..",
            "io.blnk.auth.spring..",
            "io.blnk.auth.examples..",
            "io.blnk.auth.benchmarks..")
        .check(CORE);
  }

  @Test
  void onlyTheLibraryMintsResourcesPrincipalsAndCompiledScopes() throws Exception {
    // Registry-issued resources only; principals come from the authenticator; the compiled form
    // of scopes and the master-key check on the builder are not API.
    assertThat(io.blnk.auth.scope.Resource.class.getConstructors()).isEmpty();
    assertThat(
            java.lang.reflect.Modifier.isPublic(
                Class.forName("io.blnk.auth.scope.CompiledScopes").getModifiers()))
        .isFalse();
    assertThat(io.blnk.auth.scope.ScopeSet.class.getMethods())
        .noneMatch(m -> m.getName().equals("compile"));
    assertThat(io.blnk.auth.BlnkPrincipal.class.getMethods())
        .noneMatch(m -> m.getName().equals("scoped"));
    assertThat(io.blnk.auth.BlnkAuth.Builder.class.getMethods())
        .noneMatch(m -> m.getName().equals("requireStrong"));
  }

  @Test
  void theInternalPackageHoldsOnlyWhatCrossesAPackageOrModule() {
    // On the class path these are public, so the package is kept small: each is used from another
    // package of core (LogText also by the servlet filter). An implementation with one user is
    // package-private beside it instead (the hashers, the in-memory store, the guarded store).
    List<JavaClass> internal =
        CORE.stream()
            .filter(c -> c.getPackageName().equals("io.blnk.auth.internal"))
            .filter(JavaClass::isTopLevelClass)
            .filter(c -> !c.getSimpleName().equals("package-info"))
            .toList();
    assertThat(internal)
        .extracting(JavaClass::getSimpleName)
        .containsExactlyInAnyOrder("LogText", "Messages", "ScopeCompiler", "ScopeMatcher");
    for (JavaClass c : internal) {
      assertThat(c.getDirectDependenciesToSelf())
          .as(c.getName() + " is used outside io.blnk.auth.internal")
          .anySatisfy(
              d ->
                  assertThat(d.getOriginClass().getPackageName())
                      .isNotEqualTo("io.blnk.auth.internal"));
    }
  }

  @Test
  void implementationsBesideTheirOneUserArePackagePrivate() {
    for (String name :
        List.of(
            "io.blnk.auth.key.Argon2idHasher",
            "io.blnk.auth.key.HmacSha256Hasher",
            "io.blnk.auth.store.InMemoryKeyStore",
            "io.blnk.auth.GuardedKeyStore")) {
      assertThat(CORE.get(name).getModifiers()).as(name).doesNotContain(JavaModifier.PUBLIC);
    }
  }

  @Test
  void theRuleSeesAnInternalTypeInASignature() {
    // The condition itself must be able to fail: a public API type whose method returns an
    // internal type is reported.
    JavaClasses leaky = new ClassFileImporter().importClasses(Leaky.class);
    assertThat(
            classes()
                .should(ApiSurface.exposeNoHiddenType())
                .evaluate(leaky)
                .hasViolation())
        .isTrue();
  }

  /** A stand-in for a leaking API type: public, with a public method returning a hidden type. */
  public static final class Leaky {
    public Hidden leak() {
      return new Hidden();
    }
  }

  static final class Hidden {}
}
