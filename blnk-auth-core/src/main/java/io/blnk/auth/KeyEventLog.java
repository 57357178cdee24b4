package io.blnk.auth;

import io.blnk.auth.key.ApiKeyId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the recorded events of one key, newest first, a page at a time: what {@code GET
 * /api-keys/{id}/events} serves. Implemented by blnk-auth-jdbc's {@code JdbcAuditListener}, so that
 * the servlet module reads the audit table without depending on JDBC. The caller checks that the
 * key may be seen (owner rules) before asking. Implementations are thread-safe.
 */
public interface KeyEventLog {

  /** The most events one page may hold. */
  int MAX_LIMIT = 500;

  /**
   * One page of {@code key}'s events, newest first.
   *
   * @param key the key whose events are read
   * @param cursor where the page starts: empty for the newest, else a {@link Page#next()} this log
   *     returned
   * @param limit the most events on the page, 1 to {@link #MAX_LIMIT}
   * @return the page: at most {@code limit} events and the cursor of the next page
   * @throws IllegalArgumentException if {@code cursor} is not one this log returned (the message
   *     names {@code cursor}), or {@code limit} is out of range
   * @throws io.blnk.auth.store.StoreUnavailableException if the log cannot be read
   */
  Page eventsOf(ApiKeyId key, Optional<String> cursor, int limit);

  /**
   * A page of events.
   *
   * @param events newest first
   * @param next the opaque cursor of the following page, empty on the last page
   */
  record Page(List<AuthEvent> events, Optional<String> next) {
    /**
     * Copies the list.
     *
     * @param events newest first
     * @param next the opaque cursor of the following page, empty on the last page
     * @throws NullPointerException if a part is null
     */
    public Page {
      events = List.copyOf(events);
      Objects.requireNonNull(next, "next");
    }
  }
}
