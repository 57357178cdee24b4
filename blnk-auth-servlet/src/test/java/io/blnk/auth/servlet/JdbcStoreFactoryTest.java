package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.store.KeyStore;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import javax.sql.DataSource;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JdbcStoreFactory} against a stand-in {@code io.blnk.auth.jdbc.JdbcKeyStore}, compiled for
 * the test into its own class loader (blnk-auth-jdbc is not on this module's class path), and a
 * JNDI context from {@link Names}.
 */
final class JdbcStoreFactoryTest {

  private static final String FAKE =
      """
      package io.blnk.auth.jdbc;
      public final class JdbcKeyStore {
        public static java.util.List<String> calls = new java.util.ArrayList<>();
        public static java.util.function.Supplier<Object> store;
        public static Builder builder(javax.sql.DataSource ds) {
          calls.add("builder " + ds);
          if (ds == null) {
            throw new IllegalStateException("no data source");
          }
          return new Builder();
        }
        public static final class Builder {
          public Builder tableName(String t) { calls.add("tableName " + t); return this; }
          public Builder pollInterval(java.time.Duration d) { calls.add("pollInterval " + d); return this; }
          public Builder migrate(boolean m) { calls.add("migrate " + m); return this; }
          public Object build() { calls.add("build"); return store.get(); }
        }
      }
      """;

  /** The JNDI names the test context holds, and the names looked up. */
  public static final class Names implements InitialContextFactory {
    static final Map<String, Object> BOUND = new HashMap<>();
    static final List<String> LOOKUPS = new ArrayList<>();

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
      return (Context) Proxy.newProxyInstance(Names.class.getClassLoader(), new Class<?>[] {Context.class},
          (proxy, m, args) -> {
            switch (m.getName()) {
              case "lookup" -> {
                String name = (String) args[0];
                LOOKUPS.add(name);
                Object v = BOUND.get(name);
                if (v == null) {
                  throw new NameNotFoundException(name);
                }
                return v;
              }
              case "close" -> {
                return null;
              }
              default -> throw new UnsupportedOperationException(m.getName());
            }
          });
    }
  }

  @TempDir Path dir;
  private final Map<String, Object> attributes = new HashMap<>();
  private final DataSource dataSource = dataSource("main");
  private final KeyStore store = KeyStore.inMemory();
  private Class<?> fake;
  private ClassLoader previousLoader;
  private String previousFactory;

  private static DataSource dataSource(String name) {
    return (DataSource) Proxy.newProxyInstance(JdbcStoreFactoryTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, m, args) -> switch (m.getName()) {
          case "toString" -> "ds:" + name;
          case "hashCode" -> 1;
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  @BeforeEach
  void compileTheStandIn() throws Exception {
    Path src = dir.resolve("io/blnk/auth/jdbc/JdbcKeyStore.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, FAKE);
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), src.toString());
    assertThat(rc).isZero();
    previousLoader = Thread.currentThread().getContextClassLoader();
    ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    fake = Class.forName(JdbcStoreFactory.JDBC_STORE, true, loader);
    Supplier<Object> s = () -> store;
    fake.getField("store").set(null, s);
    Thread.currentThread().setContextClassLoader(loader);
    previousFactory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
    System.setProperty(Context.INITIAL_CONTEXT_FACTORY, Names.class.getName());
    Names.BOUND.clear();
    Names.LOOKUPS.clear();
  }

  @AfterEach
  void restore() {
    Thread.currentThread().setContextClassLoader(previousLoader);
    if (previousFactory == null) {
      System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
    }
    store.close();
  }

  @SuppressWarnings("unchecked")
  private List<String> calls() throws Exception {
    return (List<String>) fake.getField("calls").get(null);
  }

  private FilterConfig config(Map<String, String> params) {
    ServletContext context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ServletContext.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getAttribute" -> attributes.get((String) args[0]);
          default -> throw new UnsupportedOperationException(m.getName());
        });
    return (FilterConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FilterConfig.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "getInitParameter" -> params.get((String) args[0]);
          case "getInitParameterNames" -> Collections.enumeration(params.keySet());
          case "getServletContext" -> context;
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  @Test
  void aContextAttributeDataSourceAndEveryOptionReachTheBuilder() throws Exception {
    attributes.put("db", dataSource);
    KeyStore made = new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", " db ",
        "tableName", " blnk_keys ", "pollInterval", "PT5S", "migrate", "FALSE")));
    assertThat(made).isSameAs(store);
    assertThat(calls()).containsExactly(
        "builder ds:main", "tableName blnk_keys", "pollInterval PT5S", "migrate false", "build");
  }

  @Test
  void unsetAndBlankOptionsAreLeftToTheBuilder() throws Exception {
    attributes.put("db", dataSource);
    assertThat(new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", "db",
        "tableName", " ", "pollInterval", "", "migrate", "  ")))).isSameAs(store);
    assertThat(calls()).containsExactly("builder ds:main", "build");
  }

  @Test
  void badOptionsAndBuilderFailuresAreServletExceptions() throws Exception {
    attributes.put("db", dataSource);
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", "db", "migrate", "yes"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: could not create the JDBC key store: "
            + "java.lang.IllegalArgumentException: migrate must be true or false, was \"yes\"");
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", "db", "pollInterval", "5s"))))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("BlnkAuthFilter: could not create the JDBC key store: java.time.format.DateTimeParseException");
    fake.getField("store").set(null, (Supplier<Object>) () -> {
      throw new IllegalStateException("database down");
    });
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", "db"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: could not create the JDBC key store: java.lang.IllegalStateException: database down")
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAttributeHoldingNothingIsNamed() {
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", "db"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: servlet context attribute db does not hold a javax.sql.DataSource (found nothing)");
  }

  @Test
  void aJndiNameIsLookedUpAsGivenThenUnderJavaCompEnv() throws Exception {
    Names.BOUND.put("java:comp/env/jdbc/blnk", dataSource);
    assertThat(new JdbcStoreFactory().create(config(Map.of("dataSource", " jdbc/blnk ")))).isSameAs(store);
    assertThat(Names.LOOKUPS).containsExactly("jdbc/blnk", "java:comp/env/jdbc/blnk");
    assertThat(calls()).startsWith("builder ds:main");

    Names.LOOKUPS.clear();
    Names.BOUND.put("direct", dataSource("direct"));
    assertThat(new JdbcStoreFactory().create(config(Map.of("dataSource", "direct")))).isSameAs(store);
    assertThat(Names.LOOKUPS).containsExactly("direct");
    assertThat(calls()).contains("builder ds:direct");
  }

  @Test
  void aJavaNameIsNotRetriedAndMissingNamesAreNamed() {
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSource", "java:/jdbc/none"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: no DataSource under JNDI name java:/jdbc/none");
    assertThat(Names.LOOKUPS).containsExactly("java:/jdbc/none");

    Names.LOOKUPS.clear();
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSource", "jdbc/none"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: no DataSource under JNDI name jdbc/none");
    assertThat(Names.LOOKUPS).containsExactly("jdbc/none", "java:comp/env/jdbc/none");
  }

  @Test
  void aJndiNameThatIsNotADataSourceIsNamed() {
    Names.BOUND.put("jdbc/text", "a string");
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSource", "jdbc/text"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("BlnkAuthFilter: JNDI name jdbc/text is not a DataSource");
  }

  @Test
  void withoutTheStandInOnTheContextLoaderTheModuleIsMissing() {
    attributes.put("db", dataSource);
    Thread.currentThread().setContextClassLoader(null);
    assertThatThrownBy(() -> new JdbcStoreFactory().create(config(Map.of("dataSourceAttribute", "db"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("blnk-auth-jdbc is not on the class path");
  }
}
