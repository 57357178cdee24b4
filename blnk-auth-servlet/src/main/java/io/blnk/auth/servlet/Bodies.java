package io.blnk.auth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies within a size limit, whatever their Content-Type, and shortens parsers'
 * complaints about them for error answers. Stateless.
 */
final class Bodies {

  /** Thrown when a body is larger than the limit. */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /** Thrown when the body could not be read (a broken chunked encoding, a client gone). */
  static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(IOException cause) {
      super("request body could not be read", cause, false, false);
    }
  }

  private Bodies() {}

  /**
   * The whole body, declared length or chunked.
   *
   * @throws TooLarge if the declared or actual length is above {@code max}; a declared excess is
   *     refused before anything is read
   * @throws Unreadable if the container could not deliver the body
   */
  static byte[] read(HttpServletRequest request, long max) throws TooLarge, Unreadable {
    long declared = request.getContentLengthLong();
    if (declared > max) {
      throw new TooLarge();
    }
    int initial = (int) Math.min(declared > 0 ? declared : 1024, Math.min(max, 1 << 16));
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(initial, 16));
    byte[] buffer = new byte[8192];
    long total = 0;
    // Not closed: a refusal may still have to drain the rest (RefusalDrain).
    try {
      InputStream in = request.getInputStream();
      RefusalDrain.markStarted(request);
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > max) {
          throw new TooLarge();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      // Jetty reports a malformed chunked body as an unchecked BadMessageException.
      throw new Unreadable(e instanceof IOException io ? io : new IOException(e.toString(), e));
    }
    return out.toByteArray();
  }

  /**
   * The first line of a parser's message about a body, cut to 200 characters, for an error answer.
   *
   * @param message the parser's message, may be null
   * @param ifAbsent what to say when there is no message
   */
  static String firstLine(String message, String ifAbsent) {
    if (message == null) {
      return ifAbsent;
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
