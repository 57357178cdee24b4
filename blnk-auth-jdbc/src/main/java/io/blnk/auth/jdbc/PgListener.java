package io.blnk.auth.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The only code that touches the PostgreSQL driver's API. Loaded only when the store runs on
 * PostgreSQL and the driver is there ({@code JdbcKeyStore.postgresDriverPresent()}), so hosts on
 * other databases never need it.
 */
final class PgListener {
  private PgListener() {}

  /** Whether {@code c} (perhaps a pool's wrapper) gives access to the driver's notifications. */
  static boolean canListen(Connection c) throws SQLException {
    return c.isWrapperFor(PGConnection.class);
  }

  /** Starts listening; {@code channel} is a generated {@code [a-z0-9_]} identifier. */
  static void listen(Connection c, String channel) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + channel);
    }
  }

  /** Stops listening, so a pooled connection goes back clean. */
  static void unlisten(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("UNLISTEN *");
    }
  }

  /** The payloads of notifications on {@code channel} arriving within {@code timeoutMillis}. */
  static List<String> receive(Connection c, String channel, int timeoutMillis) throws SQLException {
    PGNotification[] notifications = c.unwrap(PGConnection.class).getNotifications(timeoutMillis);
    if (notifications == null || notifications.length == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(notifications.length);
    for (PGNotification n : notifications) {
      if (channel.equals(n.getName())) {
        out.add(n.getParameter());
      }
    }
    return out;
  }
}
