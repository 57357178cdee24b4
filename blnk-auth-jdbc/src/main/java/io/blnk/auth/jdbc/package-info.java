/**
 * The JDBC store: {@link io.blnk.auth.jdbc.JdbcKeyStore} keeps keys in one table on PostgreSQL,
 * MariaDB/MySQL or H2, with versioned migrations and a cross-node revocation feed; {@link
 * io.blnk.auth.jdbc.JdbcAuditListener} writes audit events to an optional table.
 */
package io.blnk.auth.jdbc;
