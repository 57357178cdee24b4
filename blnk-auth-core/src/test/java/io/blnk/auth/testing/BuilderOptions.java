package io.blnk.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Checks the rule every configuration builder follows: each public setter may be called once, a
 * second call throws {@link IllegalStateException} naming the option. The setters are found by
 * reflection (every public instance method but {@code build}), so a setter added without the
 * rule fails here; each needs valid arguments in {@code arguments}, keyed by method name, so a
 * setter added without an entry fails here too.
 */
public final class BuilderOptions {

  private BuilderOptions() {}

  /**
   * The public setters of {@code builderType}: every public, non-static method but {@code build},
   * by name.
   *
   * @param builderType the builder class
   * @return the setter names, sorted
   */
  public static Set<String> setters(Class<?> builderType) {
    Set<String> names = new TreeSet<>();
    for (Method m : builderType.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers())
          && !Modifier.isStatic(m.getModifiers())
          && !m.getName().equals("build")) {
        names.add(m.getName());
      }
    }
    return names;
  }

  /**
   * Calls each setter twice on a new builder: the first call returns the builder, the second
   * throws {@link IllegalStateException} whose message is {@code "<name> is already set"} (or the
   * message {@code messages} gives for that setter).
   *
   * @param newBuilder makes a fresh builder
   * @param arguments valid arguments for each setter, by method name; must cover every setter
   * @param messages the expected message for setters whose option is named otherwise
   * @throws AssertionError if a setter lacks arguments, accepts a second call, or names the
   *     option otherwise
   */
  public static void eachIsSettableOnce(
      Supplier<?> newBuilder, Map<String, List<Object>> arguments, Map<String, String> messages) {
    Class<?> type = newBuilder.get().getClass();
    Set<String> setters = setters(type);
    assertThat(setters).as("public setters of " + type.getName()).isNotEmpty();
    assertThat(arguments.keySet())
        .as("arguments for every setter of " + type.getName())
        .containsAll(setters);
    List<String> checked = new ArrayList<>();
    for (String name : setters) {
      Method setter = method(type, name);
      Object[] args = arguments.get(name).toArray();
      Object builder = newBuilder.get();
      assertThat(invoke(setter, builder, args)).as(name + " returns the builder").isSameAs(builder);
      String expected = messages.getOrDefault(name, name + " is already set");
      assertThatThrownBy(() -> invoke(setter, builder, args))
          .as(name + " called twice")
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(expected);
      checked.add(name);
    }
    assertThat(checked).containsExactlyInAnyOrderElementsOf(setters);
  }

  private static Method method(Class<?> type, String name) {
    List<Method> found =
        Arrays.stream(type.getDeclaredMethods())
            .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()))
            .toList();
    assertThat(found).as("one public method named " + name).hasSize(1);
    return found.get(0);
  }

  private static Object invoke(Method m, Object target, Object[] args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
