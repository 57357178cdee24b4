package io.blnk.auth.architecture;

import static com.tngtech.archunit.lang.SimpleConditionEvent.violated;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Shared architecture checks for the library modules (in core's test-jar, so jdbc and servlet run
 * the same rules on their own classes).
 *
 * <p>The API of a module is what its {@code module-info} exports without qualification. A type
 * outside it (an {@code internal} package, a package-private class) must not appear in a
 * signature a host can see: public and protected fields, methods and constructors of public types
 * in exported packages, their supertypes and their type parameters.
 */
public final class ApiSurface {

  private ApiSurface() {}

  /** The packages {@code target/classes/module-info.class} exports to everyone. */
  public static Set<String> unqualifiedExports(Path classesDirectory) {
    Path moduleInfo = classesDirectory.resolve("module-info.class");
    try (InputStream in = Files.newInputStream(moduleInfo)) {
      ModuleDescriptor descriptor = ModuleDescriptor.read(in);
      Set<String> out = new TreeSet<>();
      for (ModuleDescriptor.Exports e : descriptor.exports()) {
        if (!e.isQualified()) {
          out.add(e.source());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(moduleInfo.toString(), e);
    }
  }

  /** The main classes directory of the module whose tests run (Maven's layout). */
  public static Path mainClasses() {
    return Path.of("target", "classes");
  }

  /**
   * A condition on public types of the API: no visible signature names a type {@link #isHidden}.
   */
  public static ArchCondition<JavaClass> exposeNoHiddenType() {
    Predicate<JavaClass> hidden = ApiSurface::isHidden;
    return new ArchCondition<>("expose no internal or non-public type in a public signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        List<String> found = new ArrayList<>();
        for (JavaType t : signatureTypes(type)) {
          for (JavaClass raw : t.getAllInvolvedRawTypes()) {
            if (hidden.test(raw.getBaseComponentType())) {
              found.add(raw.getBaseComponentType().getName());
            }
          }
        }
        for (JavaMember member : visibleMembers(type)) {
          List<JavaType> types = new ArrayList<>();
          if (member instanceof JavaField f) {
            types.add(f.getType());
          } else if (member instanceof JavaCodeUnit c) {
            types.add(c.getReturnType());
            types.addAll(c.getParameterTypes());
            types.addAll(c.getExceptionTypes());
          }
          for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
              JavaClass base = raw.getBaseComponentType();
              if (hidden.test(base)) {
                found.add(member.getFullName() + " -> " + base.getName());
              }
            }
          }
        }
        for (String f : found) {
          events.add(violated(type, type.getName() + ": " + f));
        }
      }
    };
  }

  /**
   * The API packages of every library module. A type of ours outside these, or not public, is one
   * a host cannot use.
   */
  public static final Set<String> API_PACKAGES =
      Set.of(
          "io.blnk.auth",
          "io.blnk.auth.scope",
          "io.blnk.auth.key",
          "io.blnk.auth.store",
          "io.blnk.auth.usage",
          "io.blnk.auth.jdbc",
          "io.blnk.auth.servlet",
          "io.blnk.auth.cli",
          "io.blnk.auth.spring",
          "io.blnk.auth.spring.security",
          "io.blnk.auth.spring.actuate");

  /** A type of ours a host cannot use: outside {@link #API_PACKAGES} or not public. */
  public static boolean isHidden(JavaClass c) {
    if (!c.getPackageName().startsWith("io.blnk.")) {
      return false; // the JDK's and third-party types are judged by the module's dependencies
    }
    return !API_PACKAGES.contains(c.getPackageName())
        || !c.getModifiers().contains(JavaModifier.PUBLIC);
  }

  private static List<JavaType> signatureTypes(JavaClass type) {
    List<JavaType> out = new ArrayList<>();
    type.getSuperclass().ifPresent(out::add);
    out.addAll(type.getInterfaces());
    return out;
  }

  private static List<JavaMember> visibleMembers(JavaClass type) {
    List<JavaMember> out = new ArrayList<>();
    for (JavaMember m : type.getMembers()) {
      Set<JavaModifier> mods = m.getModifiers();
      boolean visible =
          mods.contains(JavaModifier.PUBLIC)
              || mods.contains(JavaModifier.PROTECTED)
                  && !type.getModifiers().contains(JavaModifier.FINAL);
      if (visible
          && !mods.contains(JavaModifier.SYNTHETIC)
          && !mods.contains(JavaModifier.BRIDGE)) {
        out.add(m);
      }
    }
    return out;
  }
}
