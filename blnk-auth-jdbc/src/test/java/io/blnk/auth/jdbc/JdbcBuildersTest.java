package io.blnk.auth.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.AuthEvent;
import io.blnk.auth.scope.ResourceRegistry;
import io.blnk.auth.testing.BuilderOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The builders of {@link JdbcKeyStore}, {@link JdbcAuditListener} and {@link BlnkCoreImporter} set
 * each option once, and build from a snapshot of their options that later use of the builder never
 * reaches.
 */
final class JdbcBuildersTest {

  private final DataSource h2 = TestDatabases.h2();

  @Test
  void everyKeyStoreOptionIsSettableOnce() {
    Duration second = Duration.ofSeconds(1);
    BuilderOptions.eachIsSettableOnce(
        () -> JdbcKeyStore.builder(h2),
        Map.of(
            "tableName", List.of("keys"),
            "pollInterval", List.of(second),
            "catchUpInterval", List.of(second),
            "statementTimeout", List.of(second),
            "migrate", List.of(false),
            "dialect", List.of(Dialect.H2)),
        Map.of());
  }

  @Test
  void everyAuditListenerOptionIsSettableOnce() {
    BuilderOptions.eachIsSettableOnce(
        () -> JdbcAuditListener.builder(h2),
        Map.of(
            "tableName", List.of("events"),
            "queueCapacity", List.of(5),
            "batchSize", List.of(5),
            "flushInterval", List.of(Duration.ofSeconds(1)),
            "types", List.of(Set.of(AuthEvent.Type.AUTH_FAILED)),
            "migrate", List.of(false),
            "dialect", List.of(Dialect.H2)),
        Map.of());
  }

  @Test
  void everyImporterOptionIsSettableOnce() {
    Consumer<BlnkCoreImporter.Progress> quiet = p -> {};
    BuilderOptions.eachIsSettableOnce(
        () -> BlnkCoreImporter.builder(h2),
        Map.of(
            "tableName", List.of("keys"),
            "sourceTable", List.of("blnk.keys"),
            "registry", List.of(ResourceRegistry.blnkDefaults()),
            "clock", List.of(InstantSource.system()),
            "pageSize", List.of(10),
            "progress", List.of(quiet)),
        Map.of());
  }

  @Test
  void anInvalidValueIsRefusedAtTheSetterNamingTheOptionAndLeavesItUnset() {
    JdbcKeyStore.Builder keys = JdbcKeyStore.builder(h2);
    assertThatThrownBy(() -> keys.pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be positive, was PT0S");
    assertThatThrownBy(() -> keys.tableName("1bad"))
        .isInstanceOf(IllegalArgumentException.class);
    keys.pollInterval(Duration.ofSeconds(3)).tableName("good");
    JdbcAuditListener.Builder audit = JdbcAuditListener.builder(h2);
    assertThatThrownBy(() -> audit.batchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be at least 1, was 0");
    assertThatThrownBy(() -> audit.types(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("types must not be empty");
    audit.batchSize(1).types(Set.of(AuthEvent.Type.AUTH_FAILED));
    BlnkCoreImporter.Builder importer = BlnkCoreImporter.builder(h2);
    assertThatThrownBy(() -> importer.pageSize(1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pageSize must be 1 to 1000, was 1001");
    importer.pageSize(1000);
  }

  @Test
  void aKeyStoreReportsItsDefaultsAndIsNotChangedByLaterUseOfItsBuilder() {
    JdbcKeyStore.Builder b = JdbcKeyStore.builder(h2);
    try (JdbcKeyStore first = b.build()) {
      JdbcKeyStore.Settings s = first.settings();
      assertThat(s.dataSource()).isSameAs(h2);
      assertThat(s.table()).isEqualTo(TableName.parse(JdbcKeyStore.DEFAULT_TABLE_NAME));
      assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(s.catchUpInterval()).isEqualTo(Duration.ofSeconds(5));
      assertThat(s.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.migrate()).isTrue();
      assertThat(s.dialect()).isEmpty();
      b.tableName("other_keys")
          .pollInterval(Duration.ofSeconds(7))
          .catchUpInterval(Duration.ofSeconds(8))
          .statementTimeout(Duration.ofSeconds(9))
          .dialect(Dialect.H2);
      assertThatThrownBy(() -> b.tableName("third"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("tableName is already set");
      try (JdbcKeyStore second = b.build()) {
        assertThat(first.settings()).isEqualTo(s);
        assertThat(first.settings().table().name()).isEqualTo(JdbcKeyStore.DEFAULT_TABLE_NAME);
        JdbcKeyStore.Settings t = second.settings();
        assertThat(t.table()).isEqualTo(TableName.parse("other_keys"));
        assertThat(t.pollInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(t.catchUpInterval()).isEqualTo(Duration.ofSeconds(8));
        assertThat(t.statementTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(t.dialect()).contains(Dialect.H2);
      }
    }
  }

  @Test
  void anAuditListenerReportsItsDefaultsAndIsNotChangedByLaterUseOfItsBuilder() {
    JdbcAuditListener.Builder b = JdbcAuditListener.builder(h2);
    try (JdbcAuditListener first = b.build()) {
      JdbcAuditListener.Settings s = first.settings();
      assertThat(s.dataSource()).isSameAs(h2);
      assertThat(s.table()).isEqualTo(TableName.parse(JdbcAuditListener.DEFAULT_TABLE_NAME));
      assertThat(s.queueCapacity()).isEqualTo(10_000);
      assertThat(s.batchSize()).isEqualTo(500);
      assertThat(s.flushInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(s.migrate()).isTrue();
      assertThat(s.dialect()).isEmpty();
      assertThat(s.types()).isEqualTo(EnumSet.allOf(AuthEvent.Type.class));
      assertThatThrownBy(() -> s.types().clear()).isInstanceOf(UnsupportedOperationException.class);
      Set<AuthEvent.Type> types = EnumSet.of(AuthEvent.Type.AUTH_FAILED);
      b.types(types).tableName("other_events").queueCapacity(3).batchSize(2);
      types.add(AuthEvent.Type.AUTH_SUCCEEDED); // the builder copied them
      try (JdbcAuditListener second = b.build()) {
        assertThat(first.settings()).isEqualTo(s);
        assertThat(second.settings().types()).containsExactly(AuthEvent.Type.AUTH_FAILED);
        assertThat(second.settings().table()).isEqualTo(TableName.parse("other_events"));
        assertThat(second.settings().queueCapacity()).isEqualTo(3);
        assertThat(second.settings().batchSize()).isEqualTo(2);
      }
    }
  }

  @Test
  void anImporterReportsItsDefaultsAndIsNotChangedByLaterUseOfItsBuilder() {
    BlnkCoreImporter.Builder b = BlnkCoreImporter.builder(h2);
    BlnkCoreImporter first = b.build();
    BlnkCoreImporter.Settings s = first.settings();
    assertThat(s.target()).isSameAs(h2);
    assertThat(s.table()).isEqualTo(TableName.parse(JdbcKeyStore.DEFAULT_TABLE_NAME));
    assertThat(s.source()).isEqualTo(TableName.parse(BlnkCoreImporter.DEFAULT_SOURCE_TABLE));
    assertThat(s.registry()).isSameAs(ResourceRegistry.blnkDefaults());
    assertThat(s.clock()).isEqualTo(InstantSource.system());
    assertThat(s.pageSize()).isEqualTo(500);
    assertThat(s.progress()).isNotNull();
    ResourceRegistry registry = ResourceRegistry.builder().add("ledgers").build();
    BlnkCoreImporter second =
        b.tableName("k").sourceTable("s.t").registry(registry).pageSize(7).build();
    assertThat(first.settings()).isEqualTo(s);
    assertThat(second.settings().table()).isEqualTo(TableName.parse("k"));
    assertThat(second.settings().source()).isEqualTo(TableName.parse("s.t"));
    assertThat(second.settings().registry()).isSameAs(registry);
    assertThat(second.settings().pageSize()).isEqualTo(7);
    assertThat(Optional.of(first.settings().pageSize())).contains(500);
  }
}
