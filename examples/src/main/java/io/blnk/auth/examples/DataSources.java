package io.blnk.auth.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Turns {@code BLNK_DATA_SOURCE_DNS} into a pooled {@link javax.sql.DataSource}: a {@code
 * postgres://user:pass@host:port/db} URL as Blnk takes it, {@code mysql://} / {@code mariadb://}
 * likewise, any {@code jdbc:} URL as it is, or nothing for an H2 file database under the data
 * directory.
 */
final class DataSources {

  private DataSources() {}

  static HikariDataSource open(String dns, Path dataDir) {
    return new HikariDataSource(config(dns, dataDir));
  }

  static HikariConfig config(String dns, Path dataDir) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("blnk-example");
    config.setMaximumPoolSize(8);
    if (dns == null || dns.isBlank()) {
      config.setJdbcUrl(h2Url(dataDir));
    } else if (dns.startsWith("jdbc:")) {
      config.setJdbcUrl(dns);
    } else {
      URI uri = URI.create(dns);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      String jdbcScheme =
          switch (scheme) {
            case "postgres", "postgresql" -> "postgresql";
            case "mysql", "mariadb" -> "mariadb";
            default -> throw new IllegalArgumentException(
                "BLNK_DATA_SOURCE_DNS: unsupported scheme '" + scheme
                    + "' (use postgres://, mysql://, mariadb:// or a jdbc: URL)");
          };
      String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      config.setJdbcUrl("jdbc:" + jdbcScheme + "://" + uri.getHost() + port + uri.getRawPath() + query);
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        config.setUsername(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
        if (colon >= 0) {
          config.setPassword(decode(userInfo.substring(colon + 1)));
        }
      }
    }
    return config;
  }

  /**
   * The default H2 file database. {@code WRITE_DELAY=0} makes H2 write each commit to the file
   * before the commit returns (its default, 500 ms, lets a commit that was already acknowledged be
   * lost when the process is killed): an acknowledged create survives {@code kill -9}. H2 does not
   * {@code fsync} each commit, so an operating-system crash or power loss can still lose the last
   * commits; use PostgreSQL or MariaDB for that.
   */
  static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("blnk") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
