package io.blnk.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of the repository's README.md compiles as written, against this
 * module's test class path (core, its test-jar, jdbc, servlet, the starter, Spring Web and Spring
 * Security). The convention, written down in the README's contributing notes:
 *
 * <ul>
 *   <li>A block without a marker is a whole compilation unit (its own imports, if any).
 *   <li>{@code <!-- fragment: statements -->} on the line before the block: statements, compiled
 *       inside a method that may throw anything.
 *   <li>{@code <!-- fragment: members -->}: fields and methods, compiled inside a class.
 *   <li>Fragments get {@link #DEFAULT_IMPORTS}; a marker may add {@code ; imports: a.B, c.d.*}
 *       and, last, {@code ; given: <declarations>} (what the fragment assumes, such as a type or a
 *       variable, declared in the wrapping class).
 *   <li>In any block, {@code = ...;} stands for a value the host supplies and {@code { ... }} for
 *       a body left out; they compile as {@code null} and a body that throws.
 * </ul>
 */
final class ReadmeSnippetsTest {

  static final List<String> DEFAULT_IMPORTS =
      List.of(
          "io.blnk.auth.*",
          "io.blnk.auth.key.*",
          "io.blnk.auth.scope.*",
          "io.blnk.auth.store.*",
          "io.blnk.auth.jdbc.*",
          "io.blnk.auth.servlet.*",
          "jakarta.servlet.Filter",
          "java.nio.file.*",
          "java.time.*",
          "java.util.*",
          "javax.sql.DataSource");

  private static final Pattern MARKER =
      Pattern.compile("<!--\\s*fragment:\\s*(statements|members)\\s*(.*?)-->");
  /** {@code ; imports: a, b} (each up to the next semicolon), {@code ; given: ...} (to the end). */
  private static final Pattern OPTION =
      Pattern.compile(";\\s*(?:(imports):\\s*([^;]*)|(given):\\s*(.*))");
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

  /** One {@code ```java} block and how it is compiled. */
  record Snippet(int line, String kind, List<String> imports, String given, String code) {
    @Override
    public String toString() {
      return "README.md:" + line + " (" + kind + ")";
    }

    String unitName() {
      Matcher m = PUBLIC_TYPE.matcher(code);
      return kind.equals("unit") && m.find() ? m.group(1) : "ReadmeLine" + line;
    }

    String source() {
      String body = code.replaceAll("=\\s*\\.\\.\\.\\s*;", "= null;")
          .replaceAll("\\{\\s*\\.\\.\\.\\s*}", "{ throw new UnsupportedOperationException(); }");
      if (kind.equals("unit")) {
        return body;
      }
      String imports =
          imports().stream().map(i -> "import " + i + ";\n").collect(Collectors.joining());
      String inner = kind.equals("statements")
          ? "  void snippet() throws Exception {\n" + body + "\n  }\n"
          : body + "\n";
      return imports + "\n@SuppressWarnings(\"all\")\nclass " + unitName() + " {\n" + given + "\n"
          + inner + "}\n";
    }
  }

  static Path readme() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md"))
          && Files.isDirectory(p.resolve("blnk-auth-core"))) {
        return p.resolve("README.md");
      }
    }
    throw new IllegalStateException("no README.md above " + here);
  }

  static List<Snippet> parse(List<String> lines) {
    List<Snippet> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) {
        continue;
      }
      int start = i + 1;
      int end = start;
      while (end < lines.size() && !lines.get(end).strip().equals("```")) {
        end++;
      }
      String previous = "";
      for (int j = i - 1; j >= 0 && previous.isEmpty(); j--) {
        previous = lines.get(j).strip();
      }
      String kind = "unit";
      List<String> imports = new ArrayList<>();
      String given = "";
      Matcher marker = MARKER.matcher(previous);
      if (marker.matches()) {
        kind = marker.group(1);
        imports.addAll(DEFAULT_IMPORTS);
        Matcher option = OPTION.matcher(marker.group(2));
        while (option.find()) {
          if (option.group(1) != null) {
            for (String imp : option.group(2).split(",")) {
              imports.add(imp.strip());
            }
          } else {
            given = option.group(4).strip();
          }
        }
      }
      out.add(new Snippet(start + 1, kind, imports, given,
          String.join("\n", lines.subList(start, end))));
      i = end;
    }
    return out;
  }

  static List<Snippet> readmeSnippets() throws IOException {
    return parse(Files.readAllLines(readme(), StandardCharsets.UTF_8));
  }

  /** The compiler's diagnostics, empty when the snippet compiled. */
  static String compile(Snippet snippet, Path out) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    JavaFileObject file = new SimpleJavaFileObject(
        java.net.URI.create("string:///" + snippet.unitName() + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return snippet.source();
      }
    };
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null,
            List.of("--release", "17", "-proc:none", "-classpath", classPath,
                "-d", out.toString()),
            null, List.of(file))
        .call();
    return ok ? "" : diagnostics + "\n--- compiled source ---\n" + snippet.source();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readmeSnippets")
  void compilesAsWritten(Snippet snippet, @TempDir Path out) {
    assertThat(compile(snippet, out)).as(snippet.toString()).isEmpty();
  }

  @Test
  void theReadmeHasJavaSnippetsToCheck() throws IOException {
    assertThat(readmeSnippets()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void aSnippetThatDoesNotCompileIsReported(@TempDir Path out) {
    List<Snippet> parsed = parse(List.of(
        "<!-- fragment: statements -->",
        "```java",
        "BlnkAuth auth = BlnkAuth.builder().noSuchOption().build();",
        "```"));
    assertThat(parsed).hasSize(1);
    assertThat(compile(parsed.get(0), out)).contains("noSuchOption");
  }

  @Test
  void markersSetTheKindImportsAndGivenDeclarations() {
    List<Snippet> parsed = parse(List.of(
        "<!-- fragment: members; imports: java.util.concurrent.*; given: record Ledger() {} int n; -->",
        "",
        "```java",
        "Ledger create() { ... }",
        "```",
        "```java",
        "final class Whole {}",
        "```"));
    assertThat(parsed).extracting(Snippet::kind).containsExactly("members", "unit");
    assertThat(parsed.get(0).imports()).contains("java.util.concurrent.*", "io.blnk.auth.*");
    assertThat(parsed.get(0).given()).isEqualTo("record Ledger() {} int n;");
    assertThat(parsed.get(0).source()).contains("throw new UnsupportedOperationException()");
    assertThat(parsed.get(1).source()).isEqualTo("final class Whole {}");
  }
}
