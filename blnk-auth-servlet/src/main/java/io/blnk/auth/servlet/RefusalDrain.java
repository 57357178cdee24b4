package io.blnk.auth.servlet;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * After the filter has answered a request without reading its whole body (a refusal, a 413), reads
 * and discards what the client is still sending, so that the client sees the answer.
 *
 * <p>Why: a server that closes a connection while the client is still uploading makes the
 * client's TCP stack receive a reset, and many clients (Node's {@code fetch}, among others) then
 * report a connection failure instead of the answer that was already on the wire. Reading the rest
 * of the body first lets the connection end cleanly (or even stay open).
 *
 * <ul>
 *   <li>A request without a body ({@code Content-Length: 0}, or neither {@code Content-Length} nor
 *       {@code Transfer-Encoding}) costs nothing.
 *   <li>{@code Expect: 100-continue} with the body not yet read: nothing is read. The client has
 *       not sent the body and, having its final answer, will not; reading would make the container
 *       send {@code 100 Continue} and invite the upload being refused. The container then closes
 *       the connection (Jetty 12, Tomcat and Undertow all do).
 *   <li>A declared {@code Content-Length} beyond the byte bound: nothing is read; the container
 *       closes the connection after the answer, and a client still uploading may see a reset.
 *   <li>Otherwise the body is read and discarded until its end, the byte bound (default 64 MiB),
 *       or the time bound (default 10 s, so a slow sender cannot hold a request thread for long),
 *       whichever comes first; each read also waits at most the container's idle timeout. Beyond a
 *       bound the container closes the connection as above.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class RefusalDrain {

  /** The default byte bound: 64 MiB. */
  static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** The default time bound: 10 s. */
  static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(10);

  /** The request attribute set once reading of the body has begun. */
  static final String BODY_STARTED = "io.blnk.auth.servlet.bodyStarted";

  private final long maxBytes;
  private final long maxNanos;
  private final LongSupplier nanoTime;

  /**
   * @param maxBytes the most bytes read and discarded; 0 turns draining off
   * @param maxTime the longest time spent draining one request
   * @param nanoTime the clock, {@code System::nanoTime} except in tests
   */
  RefusalDrain(long maxBytes, Duration maxTime, LongSupplier nanoTime) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.maxNanos = maxTime.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The default bounds on the system clock. */
  static RefusalDrain defaults() {
    return new RefusalDrain(DEFAULT_MAX_BYTES, DEFAULT_MAX_TIME, System::nanoTime);
  }

  /** What a drain did, for tests. */
  enum Outcome {
    /** The request had no body left to read. */
    NO_BODY,
    /** {@code Expect: 100-continue}: left unread on purpose. */
    EXPECT_CONTINUE,
    /** The body was read to its end. */
    DRAINED,
    /** A bound was reached (or declared beyond it): the container closes the connection. */
    BOUND_REACHED,
    /** The body could not be read (client gone, broken encoding, stream already taken). */
    UNREADABLE
  }

  /**
   * Reads and discards the rest of {@code request}'s body, within the bounds. Call after the answer
   * has been written (and flushed), before returning to the container. Never throws.
   */
  Outcome drain(HttpServletRequest request) {
    long declared = request.getContentLengthLong();
    if (declared == 0 || (declared < 0 && request.getHeader("Transfer-Encoding") == null)) {
      return Outcome.NO_BODY;
    }
    ServletInputStream in;
    try {
      in = request.getInputStream();
      if (in.isFinished()) {
        return Outcome.NO_BODY;
      }
    } catch (IOException | RuntimeException e) {
      return Outcome.UNREADABLE; // e.g. getReader() was called before
    }
    if (expectsContinue(request) && request.getAttribute(BODY_STARTED) == null) {
      return Outcome.EXPECT_CONTINUE;
    }
    if (maxBytes == 0 || declared > maxBytes) {
      return Outcome.BOUND_REACHED;
    }
    long deadline = nanoTime.getAsLong() + maxNanos;
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > maxBytes || nanoTime.getAsLong() - deadline > 0) {
          return Outcome.BOUND_REACHED;
        }
      }
      return Outcome.DRAINED;
    } catch (IOException | RuntimeException e) {
      return Outcome.UNREADABLE; // Jetty reports a broken chunked body unchecked
    }
  }

  private static boolean expectsContinue(HttpServletRequest request) {
    String expect = request.getHeader("Expect");
    return expect != null && expect.trim().equalsIgnoreCase("100-continue");
  }

  /**
   * Marks that reading of {@code request}'s body has begun: the container has then sent {@code 100
   * Continue} (if asked for), the client is uploading, and a later refusal must drain even under
   * {@code Expect: 100-continue}. Called by whatever reads a body the filter may still refuse.
   */
  static void markStarted(HttpServletRequest request) {
    request.setAttribute(BODY_STARTED, Boolean.TRUE);
  }
}
