package io.blnk.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class DataSourcesTest {

  @Test
  void aBlnkPostgresUrlBecomesAJdbcUrlWithItsCredentials() {
    HikariConfig c =
        DataSources.config("postgres://blnk:p%40ss@db.example:5433/ledger?sslmode=disable", Path.of("data"));
    assertThat(c.getJdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/ledger?sslmode=disable");
    assertThat(c.getUsername()).isEqualTo("blnk");
    assertThat(c.getPassword()).isEqualTo("p@ss");
  }

  @Test
  void mysqlAndMariadbUrlsUseTheMariadbDriver() {
    assertThat(DataSources.config("mysql://root@localhost/test", Path.of("d")).getJdbcUrl())
        .isEqualTo("jdbc:mariadb://localhost/test");
  }

  @Test
  void aJdbcUrlIsUsedAsItIs() {
    assertThat(DataSources.config("jdbc:h2:mem:x", Path.of("d")).getJdbcUrl()).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void noUrlMeansAnH2FileUnderTheDataDirectory() {
    assertThat(DataSources.config(null, Path.of("/tmp/blnk-data")).getJdbcUrl())
        .startsWith("jdbc:h2:file:/tmp/blnk-data/blnk");
  }

  @Test
  void anUnknownSchemeIsRefusedNamingIt() {
    assertThatThrownBy(() -> DataSources.config("redis://localhost", Path.of("d")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis");
  }
}
