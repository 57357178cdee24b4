/**
 * blnk-auth JDBC store: a {@code KeyStore} on any {@code DataSource} (PostgreSQL, MariaDB/MySQL,
 * H2), its migrations, its revocation feed and an optional audit table. The PostgreSQL driver is
 * needed only for {@code LISTEN/NOTIFY}.
 */
module io.blnk.auth.jdbc {
  requires transitive io.blnk.auth.core;
  requires transitive java.sql;
  requires org.slf4j;
  requires static org.postgresql.jdbc;
  requires static spring.security.crypto;

  exports io.blnk.auth.jdbc;
}
