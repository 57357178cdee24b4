/** blnk-auth servlet adapter. */
module io.blnk.auth.servlet {
  requires transitive io.blnk.auth.core;
  requires transitive jakarta.servlet;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires java.naming;
  requires java.sql;
  requires org.slf4j;

  exports io.blnk.auth.servlet;
}
