package io.blnk.auth.servlet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One CIDR range of trusted proxies ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single
 * address), and the parser of IP literals the client-address resolution uses. Parsing never
 * resolves a name: only literals are accepted. An IPv4-mapped IPv6 address is its IPv4 address.
 * Immutable and thread-safe.
 */
final class IpRange {

  private final byte[] network;
  private final int prefix;

  private IpRange(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /**
   * A range in CIDR notation, or a single address.
   *
   * @throws IllegalArgumentException if {@code cidr} is not an IP literal with an optional {@code
   *     /prefix} within the address's length, or has bits set past the prefix
   */
  static IpRange parse(String cidr) {
    Objects.requireNonNull(cidr, "cidr");
    String s = cidr.trim();
    int slash = s.indexOf('/');
    byte[] address = literal(slash < 0 ? s : s.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("not an IP range (CIDR): " + Text.quote(cidr));
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not an IP range (CIDR): " + Text.quote(cidr));
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        throw new IllegalArgumentException(
            "prefix /" + prefix + " is longer than the address in " + Text.quote(cidr));
      }
    }
    for (int i = 0; i < bits; i++) {
      if (i >= prefix && bit(address, i)) {
        throw new IllegalArgumentException(
            "host bits are set past the prefix in " + Text.quote(cidr) + "; write the network address");
      }
    }
    return new IpRange(address, prefix);
  }

  /** Whether the address (from {@link #literal}) lies in this range; another family never does. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[whole] & mask) == (network[whole] & mask);
  }

  private static boolean bit(byte[] a, int i) {
    return (a[i / 8] & (0x80 >>> (i % 8))) != 0;
  }

  /**
   * The bytes of an IP literal (4 for IPv4 and IPv4-mapped IPv6, 16 for IPv6), or null when {@code
   * s} is not one: IPv4 is exactly four decimal parts 0 to 255 without leading zeros; IPv6 is hex
   * groups and colons (an IPv4 tail allowed), without brackets or a zone.
   */
  static byte[] literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      // A string with ':' is parsed as an IPv6 literal only: InetAddress never looks it up.
      return InetAddress.getByName(s).getAddress(); // IPv4-mapped comes back as IPv4
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  private static byte[] ipv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // a leading zero: octal in some parsers, so refused
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  /** The canonical text of address bytes: dotted quad, or RFC 5952 IPv6. */
  static String text(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1; // only runs of two or more zero groups are shortened
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text(network) + "/" + prefix;
  }
}
