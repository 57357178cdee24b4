package io.blnk.auth.jdbc;

import io.blnk.auth.store.StoreUnavailableException;
import java.sql.SQLException;

/**
 * Turns driver exceptions into {@link StoreUnavailableException}s whose messages hold no data:
 * drivers put row values (a lookup id, even a hash in a "failing row") into constraint messages,
 * so those are never copied, and other messages are cut before any detail section.
 */
final class Failures {
  private Failures() {}

  private static final int MAX_MESSAGE = 300;

  static StoreUnavailableException unavailable(String operation, SQLException e) {
    if (isIntegrityViolation(e)) {
      // The driver's message and cause may quote the row; keep neither.
      return new StoreUnavailableException(
          operation, "integrity constraint violated (SQLState " + e.getSQLState() + ")", null);
    }
    return new StoreUnavailableException(operation, describe(e), e);
  }

  static String describe(SQLException e) {
    StringBuilder out = new StringBuilder();
    out.append(e.getClass().getSimpleName());
    if (e.getSQLState() != null) {
      out.append(" [SQLState ").append(e.getSQLState()).append(']');
    }
    String message = e.getMessage();
    if (message != null) {
      int cut = message.length();
      for (String marker : new String[] {"\n", "Detail:", "Where:", "Failing row", "Key ("}) {
        int at = message.indexOf(marker);
        if (at >= 0 && at < cut) {
          cut = at;
        }
      }
      String first = message.substring(0, Math.min(cut, MAX_MESSAGE)).trim();
      if (!first.isEmpty()) {
        out.append(": ").append(first);
      }
    }
    return out.toString();
  }

  /** Unique, foreign-key, not-null or check constraint (SQLState class 23). */
  static boolean isIntegrityViolation(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if (state != null && state.startsWith("23")) {
        return true;
      }
      if (x instanceof java.sql.SQLIntegrityConstraintViolationException) {
        return true;
      }
      if (x.getNextException() == x) {
        break;
      }
    }
    return false;
  }

  /** A deadlock or serialization failure: the transaction may simply be run again. */
  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("40001") || state.equals("40P01"));
  }
}
