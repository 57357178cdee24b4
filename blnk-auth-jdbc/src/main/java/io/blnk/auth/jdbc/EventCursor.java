package io.blnk.auth.jdbc;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * The opaque cursor of {@link JdbcAuditListener#eventsOf}: a version byte and the last event id
 * of the page, base64url without padding. Stateless.
 */
final class EventCursor {

  private static final byte VERSION = 1;

  private EventCursor() {}

  static String encode(long lastEventId) {
    ByteBuffer b = ByteBuffer.allocate(9).put(VERSION).putLong(lastEventId);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /**
   * The event id a cursor continues before.
   *
   * @throws IllegalArgumentException naming {@code cursor} if it was not made by {@link #encode}
   */
  static long decode(String cursor) {
    byte[] raw;
    try {
      raw = cursor.length() == 12 ? Base64.getUrlDecoder().decode(cursor) : null;
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length != 9 || raw[0] != VERSION) {
      throw new IllegalArgumentException("cursor: not a cursor this endpoint returned");
    }
    long id = ByteBuffer.wrap(raw, 1, 8).getLong();
    if (id <= 0) {
      throw new IllegalArgumentException("cursor: not a cursor this endpoint returned");
    }
    return id;
  }
}
