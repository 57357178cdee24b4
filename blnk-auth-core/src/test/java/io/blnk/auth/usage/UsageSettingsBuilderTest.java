package io.blnk.auth.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.blnk.auth.testing.BuilderOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UsageSettings.Builder} sets each option once; built settings never change. */
final class UsageSettingsBuilderTest {

  private static final RateLimit LIMIT = new RateLimit("owner", 100, Duration.ofMinutes(1));

  @Test
  void everyOptionIsSettableOnceAndASecondCallNamesIt() {
    BuilderOptions.eachIsSettableOnce(
        UsageSettings::builder,
        Map.of(
            "mode", List.of(UsageSettings.Mode.CLUSTER),
            "store", List.of(UsageStore.inMemory()),
            "ownerLimit", List.of(LIMIT),
            "maxLease", List.of(5L),
            "exhaustedRecheck", List.of(Duration.ZERO)),
        Map.of());
  }

  @Test
  void theDefaultsAreWhatTheSettingsReport() {
    UsageSettings s = UsageSettings.builder().build();
    assertThat(s.mode()).isEqualTo(UsageSettings.Mode.LOCAL);
    assertThat(s.store()).isEmpty();
    assertThat(s.ownerLimit()).isEmpty();
    assertThat(s.maxLease()).isEqualTo(100);
    assertThat(s.exhaustedRecheck()).isEqualTo(Duration.ofSeconds(1));
    assertThat(UsageSettings.defaults()).hasToString(s.toString());
  }

  @Test
  void everyValueSetIsWhatTheSettingsReport() {
    UsageStore store = UsageStore.inMemory();
    UsageSettings s =
        UsageSettings.builder()
            .mode(UsageSettings.Mode.CLUSTER)
            .store(store)
            .ownerLimit(LIMIT)
            .maxLease(7)
            .exhaustedRecheck(Duration.ofMillis(250))
            .build();
    assertThat(s.mode()).isEqualTo(UsageSettings.Mode.CLUSTER);
    assertThat(s.store()).containsSame(store);
    assertThat(s.ownerLimit()).contains(LIMIT);
    assertThat(s.maxLease()).isEqualTo(7);
    assertThat(s.exhaustedRecheck()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.toString()).contains("mode=CLUSTER", "maxLease=7", "owner");
  }

  @Test
  void builtSettingsAreNotChangedByLaterUseOfTheBuilder() {
    UsageSettings.Builder b = UsageSettings.builder().maxLease(9);
    UsageSettings first = b.build();
    assertThatThrownBy(() -> b.maxLease(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxLease is already set");
    UsageSettings second = b.mode(UsageSettings.Mode.CLUSTER).ownerLimit(LIMIT).build();
    assertThat(first.mode()).isEqualTo(UsageSettings.Mode.LOCAL);
    assertThat(first.ownerLimit()).isEmpty();
    assertThat(second.mode()).isEqualTo(UsageSettings.Mode.CLUSTER);
    assertThat(second.ownerLimit()).contains(LIMIT);
    assertThat(first.maxLease()).isEqualTo(second.maxLease()).isEqualTo(9);
  }

  @Test
  void anInvalidValueIsRefusedAtTheSetterNamingTheOptionAndLeavesItUnset() {
    UsageSettings.Builder b = UsageSettings.builder();
    assertThatThrownBy(() -> b.maxLease(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLease must be at least 1, was 0");
    assertThatThrownBy(() -> b.exhaustedRecheck(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exhaustedRecheck must not be negative, was PT-1S");
    assertThat(b.maxLease(1).exhaustedRecheck(Duration.ZERO).build().maxLease()).isEqualTo(1);
  }
}
