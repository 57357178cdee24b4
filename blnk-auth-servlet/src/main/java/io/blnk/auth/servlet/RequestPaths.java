package io.blnk.auth.servlet;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that the raw request URI says exactly what the container's normalised path says, so
 * that the resource authorised is the resource the application routes to.
 *
 * <p>The raw path inside the context is refused (the method returns null) when it holds:
 *
 * <ul>
 *   <li>a character outside RFC 3986's {@code pchar} set and {@code /}, or a {@code ;} (path
 *       parameters);
 *   <li>an empty segment ({@code //}; one trailing {@code /} is allowed), a {@code .} or {@code ..}
 *       segment, or a segment ending in {@code .};
 *   <li>a percent-encoding that is malformed, or that encodes an unreserved character (letters,
 *       digits, {@code -._~}), {@code /}, {@code \}, {@code ;}, {@code %} or a control character:
 *       encodings no honest client needs and every path-confusion attack uses;
 *   <li>bytes that do not decode as UTF-8;
 * </ul>
 *
 * and when its decoded form differs from {@code servletPath + pathInfo}. Stateless.
 */
final class RequestPaths {

  private RequestPaths() {}

  /**
   * The decoded path inside the context, or null if the request's path is ambiguous.
   *
   * @param rawUri {@code request.getRequestURI()}, still encoded
   * @param contextPath {@code request.getContextPath()}
   * @param normalised {@code getServletPath() + getPathInfo()}, as the container decoded it
   */
  static String check(String rawUri, String contextPath, String normalised) {
    if (rawUri == null || contextPath == null || normalised == null) {
      return null;
    }
    if (!rawUri.startsWith(contextPath)) {
      return null;
    }
    String decoded = decode(rawUri, contextPath.length());
    if (decoded == null) {
      return null;
    }
    String container = normalised.isEmpty() ? "/" : normalised;
    return decoded.equals(container) ? decoded : null;
  }

  /** Decodes {@code raw} from {@code start}, applying every rule of the class comment. */
  static String decode(String raw, int start) {
    int end = raw.length();
    if (start == end) {
      return "/";
    }
    if (raw.charAt(start) != '/') {
      return null;
    }
    byte[] out = new byte[end - start];
    int n = 0;
    boolean nonAscii = false;
    int segmentStart = 0; // index in out of the current segment's first byte
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '/') {
        if (i > start && !segmentOk(out, segmentStart, n)) {
          return null;
        }
        out[n++] = '/';
        segmentStart = n;
      } else if (c == '%') {
        if (i + 2 >= end) {
          return null;
        }
        int hi = hex(raw.charAt(i + 1));
        int lo = hex(raw.charAt(i + 2));
        if (hi < 0 || lo < 0) {
          return null;
        }
        int b = (hi << 4) | lo;
        if (b < 0x80 && !encodableAscii(b)) {
          return null;
        }
        nonAscii |= b >= 0x80;
        out[n++] = (byte) b;
        i += 2;
      } else if (c < 0x80 && PCHAR[c]) {
        out[n++] = (byte) c;
      } else {
        return null;
      }
    }
    // The last segment may be empty (a trailing slash) unless the path is "//"-like.
    if (n > segmentStart && !segmentOk(out, segmentStart, n)) {
      return null;
    }
    if (n == segmentStart && n > 1 && out[n - 2] == '/') {
      return null;
    }
    if (!nonAscii) {
      return new String(out, 0, n, StandardCharsets.US_ASCII);
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = utf8.decode(ByteBuffer.wrap(out, 0, n));
      for (int i = 0; i < chars.length(); i++) {
        char ch = chars.charAt(i);
        if (Character.isISOControl(ch) || lookAlike(ch)) {
          return null; // controls, and look-alikes of '/' and '.'
        }
      }
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Look-alikes of {@code /} (U+2215 division slash, U+FF0F fullwidth solidus) and {@code .}
   * (U+2024 one dot leader, U+2025 two dot leader, U+FF0E fullwidth full stop), which some
   * normalisations turn into the real characters.
   */
  static boolean lookAlike(char ch) {
    return ch == '\u2215' || ch == '\uff0f' || ch == '\u2024' || ch == '\u2025' || ch == '\uff0e';
  }

  /** A non-empty segment that is neither a dot segment nor ends with a dot. */
  private static boolean segmentOk(byte[] out, int from, int to) {
    return to > from && out[to - 1] != '.';
  }

  /** ASCII characters that may appear percent-encoded. */
  private static boolean encodableAscii(int b) {
    if (b < 0x20 || b == 0x7f) {
      return false;
    }
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
      return false;
    }
    switch (b) {
      case '-':
      case '.':
      case '_':
      case '~':
      case '/':
      case '\\':
      case ';':
      case '%':
        return false;
      default:
        return true;
    }
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** RFC 3986 pchar without ';' and without '%' (handled apart). */
  private static final boolean[] PCHAR = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      PCHAR[c] = true;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      PCHAR[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      PCHAR[c] = true;
    }
    for (char c : "-._~!$&'()*+,=:@".toCharArray()) {
      PCHAR[c] = true;
    }
  }

  /** The first segment of a checked path ({@code "/a/b"} gives {@code "a"}), or {@code ""}. */
  static String segment(String path, int index) {
    int from = 1;
    for (int i = 0; i < index; i++) {
      int slash = path.indexOf('/', from);
      if (slash < 0) {
        return "";
      }
      from = slash + 1;
    }
    if (from > path.length()) {
      return "";
    }
    int slash = path.indexOf('/', from);
    return slash < 0 ? path.substring(from) : path.substring(from, slash);
  }

  /** How many non-empty segments a checked path has ({@code "/a/b/"} has 2). */
  static int segmentCount(String path) {
    int count = 0;
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) == '/' && i + 1 < path.length()) {
        count++;
      }
    }
    return count;
  }
}
