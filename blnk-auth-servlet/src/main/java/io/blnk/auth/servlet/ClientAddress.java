package io.blnk.auth.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The client address of a request: the socket's ({@code getRemoteAddr()}) unless the host trusts
 * proxies. Then, when the socket's peer is a trusted proxy, the configured forwarding header
 * ({@code X-Forwarded-For} or RFC 7239 {@code Forwarded}) is read right to left, past trusted hops
 * only: the first hop that is not a trusted proxy is the client. An entry that is not an IP
 * literal (garbage, {@code unknown}, an obfuscated identifier, a {@code Forwarded} element without
 * {@code for=}) met before that ends the walk with {@value #UNKNOWN}, which no IP list permits.
 * When every hop is trusted, the left-most is the client. Entries to the left of the client are
 * never read, so whatever a client writes into the header itself cannot make it someone else.
 *
 * <p>Only the one configured header is read: a proxy that appends to {@code X-Forwarded-For}
 * passes a client's own {@code Forwarded} header through untouched, so reading both would trust
 * what the client wrote.
 *
 * <p>Without trusted proxies the answer is the socket's address, without allocation. Immutable and
 * thread-safe.
 */
final class ClientAddress {

  /** The address of a client a trusted proxy could not or would not identify. */
  static final String UNKNOWN = "unknown";

  /** The forwarding header a host's proxies write. */
  enum Header {
    /** {@code X-Forwarded-For: client, proxy1, proxy2}. */
    X_FORWARDED_FOR("X-Forwarded-For"),
    /** RFC 7239 {@code Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"}. */
    FORWARDED("Forwarded");

    final String headerName;

    Header(String headerName) {
      this.headerName = headerName;
    }

    /**
     * {@code X-Forwarded-For} or {@code Forwarded}, any case.
     *
     * @throws IllegalArgumentException for another name
     */
    static Header named(String name) {
      for (Header h : values()) {
        if (h.headerName.equalsIgnoreCase(name.trim())) {
          return h;
        }
      }
      throw new IllegalArgumentException(
          "forwarded header must be X-Forwarded-For or Forwarded, was " + Text.quote(name));
    }
  }

  /** No trusted proxies: the socket's address. */
  static final ClientAddress SOCKET = new ClientAddress(List.of(), Header.X_FORWARDED_FOR);

  private final IpRange[] trusted;
  private final Header header;

  ClientAddress(List<IpRange> trusted, Header header) {
    this.trusted = trusted.toArray(new IpRange[0]);
    this.header = header;
  }

  /** Whether any proxy is trusted. */
  boolean trustsProxies() {
    return trusted.length > 0;
  }

  /** The client address of {@code request}; {@code ""} when the container knows none. */
  String of(HttpServletRequest request) {
    String remote = unbracket(request.getRemoteAddr());
    if (trusted.length == 0) {
      return remote;
    }
    byte[] hop = IpRange.literal(remote);
    if (hop == null || !isTrusted(hop)) {
      return remote;
    }
    List<String> entries = entries(request.getHeaders(header.headerName));
    for (int i = entries.size() - 1; i >= 0; i--) {
      byte[] address = node(entries.get(i));
      if (address == null) {
        return UNKNOWN;
      }
      hop = address;
      if (!isTrusted(address)) {
        break;
      }
    }
    return IpRange.text(hop);
  }

  private boolean isTrusted(byte[] address) {
    for (IpRange r : trusted) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The socket's address without the brackets some containers put around IPv6. */
  static String unbracket(String remote) {
    if (remote == null) {
      return "";
    }
    int n = remote.length();
    return n > 1 && remote.charAt(0) == '[' && remote.charAt(n - 1) == ']' ? remote.substring(1, n - 1) : remote;
  }

  /**
   * The hops the header lists, left to right, as node texts ({@code for=} values of {@code
   * Forwarded}, with quotes removed; {@code X-Forwarded-For} entries trimmed); {@code null} marks
   * an element that names no node.
   */
  List<String> entries(Enumeration<String> values) {
    List<String> out = new ArrayList<>();
    while (values != null && values.hasMoreElements()) {
      String value = values.nextElement();
      if (header == Header.X_FORWARDED_FOR) {
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
          if (i == value.length() || value.charAt(i) == ',') {
            out.add(value.substring(start, i).trim());
            start = i + 1;
          }
        }
      } else {
        forwarded(value, out);
      }
    }
    return out;
  }

  /** Adds the {@code for=} node of each element of one {@code Forwarded} value (RFC 7239 section 4). */
  static void forwarded(String value, List<String> out) {
    String node = null;
    boolean seenFor = false;
    boolean broken = false;
    int i = 0;
    int n = value.length();
    while (true) {
      // one pair: token "=" (token / quoted-string)
      while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      int nameStart = i;
      while (i < n && value.charAt(i) != '=' && value.charAt(i) != ';' && value.charAt(i) != ',') {
        i++;
      }
      String name = value.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
      String pairValue = null;
      if (i < n && value.charAt(i) == '=') {
        i++;
        if (i < n && value.charAt(i) == '"') {
          StringBuilder sb = new StringBuilder();
          i++;
          boolean closed = false;
          while (i < n) {
            char c = value.charAt(i++);
            if (c == '\\' && i < n) {
              sb.append(value.charAt(i++));
            } else if (c == '"') {
              closed = true;
              break;
            } else {
              sb.append(c);
            }
          }
          pairValue = closed ? sb.toString() : null;
          while (i < n && value.charAt(i) != ';' && value.charAt(i) != ',') {
            if (value.charAt(i) != ' ' && value.charAt(i) != '\t') {
              pairValue = null; // text after the closing quote
            }
            i++;
          }
        } else {
          int valueStart = i;
          while (i < n && value.charAt(i) != ';' && value.charAt(i) != ',') {
            i++;
          }
          pairValue = value.substring(valueStart, i).trim();
        }
      }
      if (!name.isEmpty() || pairValue != null) {
        if (pairValue == null || name.isEmpty()) {
          broken = true;
        } else if (name.equals("for")) {
          if (seenFor) {
            broken = true; // two for= in one element: which hop is it?
          }
          seenFor = true;
          node = pairValue;
        }
      }
      if (i >= n || value.charAt(i) == ',') {
        out.add(broken ? null : node);
        node = null;
        seenFor = false;
        broken = false;
        if (i >= n) {
          return;
        }
      }
      i++;
    }
  }

  /**
   * The address a node names: an IPv4 literal, a bracketed IPv6 literal, either with an optional
   * port; {@code X-Forwarded-For} also lists bare IPv6. Null for anything else ({@code unknown},
   * obfuscated identifiers, garbage).
   */
  byte[] node(String node) {
    if (node == null || node.isEmpty()) {
      return null;
    }
    if (node.charAt(0) == '[') {
      int close = node.indexOf(']');
      if (close < 0 || !port(node, close + 1)) {
        return null;
      }
      byte[] a = IpRange.literal(node.substring(1, close));
      return a != null && a.length == 16 ? a : ipv4Mapped(node.substring(1, close), a);
    }
    int colon = node.indexOf(':');
    if (colon < 0) {
      return IpRange.literal(node);
    }
    if (node.indexOf(':', colon + 1) < 0) {
      return port(node, colon) ? IpRange.literal(node.substring(0, colon)) : null; // IPv4:port
    }
    return header == Header.X_FORWARDED_FOR ? IpRange.literal(node) : null; // bare IPv6
  }

  /** A bracketed IPv4-mapped IPv6 address (which parses to 4 bytes) is accepted; IPv4 is not. */
  private static byte[] ipv4Mapped(String inside, byte[] parsed) {
    return parsed != null && inside.indexOf(':') >= 0 ? parsed : null;
  }

  /** Whether {@code node} from {@code at} is empty or {@code :port} (digits, or {@code _obfuscated}). */
  private static boolean port(String node, int at) {
    if (at == node.length()) {
      return true;
    }
    if (node.charAt(at) != ':' || at + 1 == node.length() || node.length() - at > 40) {
      return false;
    }
    boolean obfuscated = node.charAt(at + 1) == '_';
    for (int i = at + 1; i < node.length(); i++) {
      char c = node.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean obf = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-';
      if (!(digit || (obfuscated && obf))) {
        return false;
      }
    }
    return obfuscated || node.length() - at - 1 <= 5;
  }

  @Override
  public String toString() {
    return trusted.length == 0
        ? "ClientAddress[socket]"
        : "ClientAddress[" + header.headerName + " past " + List.of(trusted) + "]";
  }
}
