package io.blnk.auth.servlet;

import io.blnk.auth.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The body limit for every request the filter passes on, whoever sent it (master key, scoped key,
 * public path, secure mode off) and whatever its method: the bodies the filter reads itself (a
 * scoped key's {@code POST}, {@code /api-keys}) are bounded where they are read; for the others:
 *
 * <ul>
 *   <li>a declared {@code Content-Length} above the limit is refused with 413 {@code
 *       GEN_PAYLOAD_TOO_LARGE} before the application runs (the container enforces a declared
 *       length, so nothing more is needed for such a body);
 *   <li>a body of unknown length ({@code Transfer-Encoding: chunked}) reaches the application
 *       through a counting stream that fails with {@link TooLarge} (an {@link IOException}) on the
 *       read that passes the limit; if the application lets it propagate, or returns without
 *       committing a response, the filter answers 413 {@code GEN_PAYLOAD_TOO_LARGE}. An
 *       application that catches it and answers itself keeps its own answer.
 * </ul>
 *
 * A refusal drains the rest of the body ({@link RefusalDrain}), and so does a failure thrown by
 * the application or the container (e.g. Jetty's own form size limit, met in {@code
 * getParameter}) before it reaches the container, so that the container's error answer is readable
 * too. Stateless.
 */
final class BodyLimit {

  private BodyLimit() {}

  /** Thrown by a bounded body's stream when the body passes the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("request body larger than the limit");
    }
  }

  /**
   * Passes {@code next} down the chain within the limit, or answers 413.
   *
   * @param original the request as the container gave it (its headers, its stream)
   * @param next the request to pass on (a wrapper of {@code original})
   * @param bodyRead whether the filter has read the body itself (then it was bounded already)
   */
  static void pass(
      HttpServletRequest original,
      HttpServletRequest next,
      HttpServletResponse response,
      FilterChain chain,
      long max,
      boolean bodyRead,
      RefusalDrain drain)
      throws IOException, ServletException {
    if (bodyRead) {
      chain.doFilter(next, response);
      return;
    }
    long declared = original.getContentLengthLong();
    if (declared > max) {
      refuse(original, response, drain);
      return;
    }
    boolean chunked = declared < 0 && original.getHeader("Transfer-Encoding") != null;
    if (declared <= 0 && !chunked) {
      chain.doFilter(next, response); // no body
      return;
    }
    Bounded bounded = chunked ? new Bounded(next, max) : null;
    try {
      chain.doFilter(bounded != null ? bounded : next, response);
    } catch (IOException | ServletException | RuntimeException e) {
      if (bounded != null && bounded.exceeded && !response.isCommitted()) {
        response.reset();
        refuse(original, response, drain);
        return;
      }
      // The container answers the failure (its own form limit, say): let the client see it.
      drain.drain(original);
      throw e;
    }
    if (bounded != null && bounded.exceeded && !response.isCommitted()) {
      response.reset();
      refuse(original, response, drain);
    }
  }

  private static void refuse(HttpServletRequest request, HttpServletResponse response, RefusalDrain drain)
      throws IOException {
    request.setAttribute(BlnkAuthFilter.REFUSAL_ATTRIBUTE, ErrorCode.GEN_PAYLOAD_TOO_LARGE);
    Json.sendError(
        request, response, ErrorCode.GEN_PAYLOAD_TOO_LARGE, ErrorCode.GEN_PAYLOAD_TOO_LARGE.defaultMessage());
    drain.drain(request);
  }

  /** A request whose body stream counts and fails past the limit. Not thread-safe. */
  private static final class Bounded extends HttpServletRequestWrapper {
    private final long max;
    private ServletInputStream stream;
    boolean exceeded;

    Bounded(HttpServletRequest request, long max) {
      super(request);
      this.max = max;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream());
        RefusalDrain.markStarted(this);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset;
      try {
        charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      } catch (IllegalArgumentException e) {
        throw new UnsupportedEncodingException(encoding);
      }
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    private final class Counting extends ServletInputStream {
      private final ServletInputStream in;
      private long total;

      Counting(ServletInputStream in) {
        this.in = in;
      }

      private int count(int n) throws TooLarge {
        if (n > 0) {
          total += n;
          if (total > max) {
            exceeded = true;
            throw new TooLarge();
          }
        }
        return n;
      }

      @Override
      public int read() throws IOException {
        if (exceeded) {
          throw new TooLarge();
        }
        int b = in.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (exceeded) {
          throw new TooLarge();
        }
        return count(in.read(b, off, len));
      }

      @Override
      public boolean isFinished() {
        return in.isFinished();
      }

      @Override
      public boolean isReady() {
        return in.isReady();
      }

      @Override
      public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
      }
    }
  }
}
