/** blnk-auth JDBC store. */
module io.blnk.auth.jdbc {
  requires transitive io.blnk.auth.core;
  requires transitive java.sql;
  requires org.slf4j;

  exports io.blnk.auth.jdbc;
}
