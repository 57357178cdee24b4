package io.blnk.auth.key;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The client addresses a key may be used from: IPv4 and IPv6 CIDR ranges, e.g. {@code
 * 10.0.0.0/8} or {@code 2001:db8::/32}. An empty list ({@link #ANY}) restricts nothing.
 *
 * <p>Parsing is strict and {@link #toString()} canonical, so {@code parse(list.ranges())} equals
 * {@code list}: IPv4 as four decimal parts without leading zeros, IPv6 as RFC 5952 text (lower
 * case, longest run of zero groups shortened to {@code ::}); a range whose address has bits set
 * beyond its prefix is refused (it names the range it probably meant); a bare address is a
 * single-address range ({@code /32} or {@code /128}). IPv4-mapped IPv6 ranges ({@code
 * ::ffff:a.b.c.d/n}, {@code n >= 96}) are held, and printed, as the IPv4 range they stand for.
 *
 * <p>{@link #permits(CharSequence)} reads a textual client address without allocating: IPv4 into
 * an {@code int}, IPv6 (with {@code ::}, an embedded IPv4 tail, an IPv4-mapped address matching
 * IPv4 ranges) into two {@code long}s; a zone id ({@code %eth0}) is ignored. Anything else,
 * including an empty address, is not permitted by a non-empty list. Immutable and thread-safe.
 */
public final class IpAllowList {

  /** The most ranges one key may hold. */
  public static final int MAX_RANGES = 64;

  /** No restriction: every address, known or not, is permitted. */
  public static final IpAllowList ANY = new IpAllowList(List.of(), new int[0], new int[0],
      new long[0], new long[0], new long[0], new long[0]);

  private final List<String> ranges;
  private final int[] v4Net;
  private final int[] v4Mask;
  private final long[] v6NetHi;
  private final long[] v6NetLo;
  private final long[] v6MaskHi;
  private final long[] v6MaskLo;

  private IpAllowList(
      List<String> ranges,
      int[] v4Net,
      int[] v4Mask,
      long[] v6NetHi,
      long[] v6NetLo,
      long[] v6MaskHi,
      long[] v6MaskLo) {
    this.ranges = ranges;
    this.v4Net = v4Net;
    this.v4Mask = v4Mask;
    this.v6NetHi = v6NetHi;
    this.v6NetLo = v6NetLo;
    this.v6MaskHi = v6MaskHi;
    this.v6MaskLo = v6MaskLo;
  }

  /**
   * Parses CIDR ranges. Duplicates (after canonicalisation) are kept once, in first-seen order.
   *
   * @param ranges e.g. {@code List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.7")}
   * @return the list; {@link #ANY} for an empty list
   * @throws NullPointerException if the list or a range is null
   * @throws IllegalArgumentException naming the first invalid range and what is wrong with it, or
   *     if there are more than {@value #MAX_RANGES} ranges
   */
  public static IpAllowList parse(List<String> ranges) {
    Objects.requireNonNull(ranges, "ranges");
    if (ranges.size() > MAX_RANGES) {
      throw new IllegalArgumentException(
          "at most " + MAX_RANGES + " ranges, got " + ranges.size());
    }
    if (ranges.isEmpty()) {
      return ANY;
    }
    List<String> canonical = new ArrayList<>();
    List<int[]> v4 = new ArrayList<>();
    List<long[]> v6 = new ArrayList<>();
    for (String text : ranges) {
      Objects.requireNonNull(text, "range");
      Range r = Range.parse(text);
      String c = r.toString();
      if (canonical.contains(c)) {
        continue;
      }
      canonical.add(c);
      if (r.v4) {
        v4.add(new int[] {(int) r.lo, mask32(r.prefix)});
      } else {
        long[] m = mask128(r.prefix);
        v6.add(new long[] {r.hi, r.lo, m[0], m[1]});
      }
    }
    int[] n4 = new int[v4.size()];
    int[] m4 = new int[v4.size()];
    for (int i = 0; i < n4.length; i++) {
      n4[i] = v4.get(i)[0];
      m4[i] = v4.get(i)[1];
    }
    long[] nh = new long[v6.size()];
    long[] nl = new long[v6.size()];
    long[] mh = new long[v6.size()];
    long[] ml = new long[v6.size()];
    for (int i = 0; i < nh.length; i++) {
      long[] x = v6.get(i);
      nh[i] = x[0];
      nl[i] = x[1];
      mh[i] = x[2];
      ml[i] = x[3];
    }
    return new IpAllowList(List.copyOf(canonical), n4, m4, nh, nl, mh, ml);
  }

  /**
   * Parses ranges given one by one; see {@link #parse(List)}.
   *
   * @param ranges addresses or CIDR ranges, e.g. {@code 192.0.2.0/24} or {@code 2001:db8::/32}
   * @return the list; {@link #ANY} when no range is given
   * @throws IllegalArgumentException as {@link #parse(List)}
   * @throws NullPointerException if {@code ranges} or an element is null
   */
  public static IpAllowList of(String... ranges) {
    return parse(List.of(ranges));
  }

  /**
   * The ranges in canonical form, in the order given; empty for {@link #ANY}.
   *
   * @return an unmodifiable list of the ranges
   */
  public List<String> ranges() {
    return ranges;
  }

  /**
   * Whether this list restricts nothing (it has no range).
   *
   * @return true for {@link #ANY}
   */
  public boolean isUnrestricted() {
    return ranges.isEmpty();
  }

  /**
   * Whether every address {@code other} permits, this list permits too: each of its ranges lies
   * within one range of this list. An unrestricted list covers every list; a restricted one never
   * covers an unrestricted one. (A range covered only by two of this list's ranges together is not
   * counted as covered: the answer errs towards no.)
   *
   * @param other the list to compare
   * @return true if {@code other} permits no address this list does not
   */
  public boolean covers(IpAllowList other) {
    Objects.requireNonNull(other, "other");
    if (isUnrestricted()) {
      return true;
    }
    if (other.isUnrestricted()) {
      return false;
    }
    for (int i = 0; i < other.v4Net.length; i++) {
      if (!coversV4(other.v4Net[i], other.v4Mask[i])) {
        return false;
      }
    }
    for (int i = 0; i < other.v6NetHi.length; i++) {
      if (!coversV6(other.v6NetHi[i], other.v6NetLo[i], other.v6MaskHi[i], other.v6MaskLo[i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether one IPv4 range of this list holds the range {@code net/mask}. */
  private boolean coversV4(int net, int mask) {
    for (int j = 0; j < v4Net.length; j++) {
      // this range's prefix is no longer than the other's, and the other's network is inside it
      if ((v4Mask[j] & ~mask) == 0 && (net & v4Mask[j]) == v4Net[j]) {
        return true;
      }
    }
    return false;
  }

  /** Whether one IPv6 range of this list holds the range {@code net/mask}. */
  private boolean coversV6(long netHi, long netLo, long maskHi, long maskLo) {
    for (int j = 0; j < v6NetHi.length; j++) {
      if ((v6MaskHi[j] & ~maskHi) == 0
          && (v6MaskLo[j] & ~maskLo) == 0
          && (netHi & v6MaskHi[j]) == v6NetHi[j]
          && (netLo & v6MaskLo[j]) == v6NetLo[j]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a client at {@code address} may use the key. Allocation-free. An unrestricted list
   * permits everything (even an empty or unparsable address); a restricted one permits only an
   * IP literal inside one of its ranges.
   *
   * @param address the client's IP address as text, e.g. {@code 192.0.2.7} or {@code ::1}
   * @return true if the list is unrestricted or {@code address} is inside one of its ranges
   */
  public boolean permits(CharSequence address) {
    if (ranges.isEmpty()) {
      return true;
    }
    if (address == null) {
      return false;
    }
    int end = address.length();
    long v4 = parseV4(address, 0, end);
    if (v4 >= 0) {
      return permitsV4((int) v4);
    }
    for (int i = 0; i < end; i++) {
      if (address.charAt(i) == '%') {
        end = i; // an IPv6 zone id says which interface, not which host
        break;
      }
    }
    return v6(address, end, this, null);
  }

  private boolean permitsV4(int a) {
    for (int i = 0; i < v4Net.length; i++) {
      if ((a & v4Mask[i]) == v4Net[i]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses an IPv6 address in {@code s[0, end)} into two longs without allocating, then either
   * matches it against {@code list} or, when {@code out} is given, stores it there.
   *
   * @return whether it is an IPv6 address and (with a list) the list permits it
   */
  private static boolean v6(CharSequence s, int end, IpAllowList list, long[] out) {
    long headHi = 0;
    long headLo = 0;
    long tailHi = 0;
    long tailLo = 0;
    int head = 0;
    int tail = 0;
    boolean gap = false;
    int i = 0;
    if (end < 2) {
      return false;
    }
    if (s.charAt(0) == ':') {
      if (s.charAt(1) != ':') {
        return false;
      }
      gap = true;
      i = 2;
      if (i == end) {
        return result(0, 0, list, out);
      }
    }
    while (true) {
      int start = i;
      int value = 0;
      while (i < end && i - start < 5) {
        int d = hex(s.charAt(i));
        if (d < 0) {
          break;
        }
        value = (value << 4) | d;
        i++;
      }
      int digits = i - start;
      if (i < end && s.charAt(i) == '.') {
        // An embedded IPv4 tail: the last 32 bits.
        long v4 = parseV4(s, start, end);
        if (v4 < 0 || head + tail + 2 > 8) {
          return false;
        }
        if (gap) {
          tailHi = (tailHi << 32) | (tailLo >>> 32);
          tailLo = (tailLo << 32) | v4;
          tail += 2;
        } else {
          headHi = (headHi << 32) | (headLo >>> 32);
          headLo = (headLo << 32) | v4;
          head += 2;
        }
        i = end;
        break;
      }
      if (digits == 0 || digits > 4) {
        return false;
      }
      if (gap) {
        tailHi = (tailHi << 16) | (tailLo >>> 48);
        tailLo = (tailLo << 16) | value;
        tail++;
      } else {
        headHi = (headHi << 16) | (headLo >>> 48);
        headLo = (headLo << 16) | value;
        head++;
      }
      if (head + tail > 8) {
        return false;
      }
      if (i == end) {
        break;
      }
      if (s.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < end && s.charAt(i) == ':') {
        if (gap) {
          return false;
        }
        gap = true;
        i++;
        if (i == end) {
          break;
        }
      } else if (i == end) {
        return false;
      }
    }
    int groups = head + tail;
    if (gap ? groups > 7 : groups != 8) {
      return false;
    }
    // Shift the head to the top: (8 - head) groups of 16 bits.
    for (int k = head; k < 8; k++) {
      headHi = (headHi << 16) | (headLo >>> 48);
      headLo = headLo << 16;
    }
    return result(headHi | tailHi, headLo | tailLo, list, out);
  }

  private static boolean result(long hi, long lo, IpAllowList list, long[] out) {
    if (out != null) {
      out[0] = hi;
      out[1] = lo;
      return true;
    }
    return list.matchV6(hi, lo);
  }

  private boolean matchV6(long hi, long lo) {
    if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
      return permitsV4((int) lo); // ::ffff:a.b.c.d is that IPv4 client
    }
    for (int i = 0; i < v6NetHi.length; i++) {
      if ((hi & v6MaskHi[i]) == v6NetHi[i] && (lo & v6MaskLo[i]) == v6NetLo[i]) {
        return true;
      }
    }
    return false;
  }

  /** An IPv4 address in {@code s[from, end)} as an unsigned int, or -1 if it is not one. */
  static long parseV4(CharSequence s, int from, int end) {
    long result = 0;
    int parts = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < end && i - start < 4) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      result = (result << 8) | value;
      parts++;
      if (parts == 4) {
        return i == end ? result : -1;
      }
      if (i >= end || s.charAt(i) != '.') {
        return -1;
      }
      i++;
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

  private static int mask32(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  private static long[] mask128(int prefix) {
    long hi = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    long lo = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    return new long[] {hi, lo};
  }

  /** Parses one IPv6 address (no zone) into {hi, lo}, or null if it is not one. */
  static long[] parseV6(CharSequence s) {
    long[] out = new long[2];
    return v6(s, s.length(), null, out) ? out : null;
  }

  /** RFC 5952 text of an IPv6 address: lower case, no leading zeros, longest zero run as ::. */
  static String v6Text(long hi, long lo) {
    int[] g = new int[8];
    for (int k = 0; k < 4; k++) {
      g[k] = (int) (hi >>> (48 - 16 * k)) & 0xFFFF;
      g[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xFFFF;
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is never shortened
    for (int k = 0; k < 8; ) {
      if (g[k] != 0) {
        k++;
        continue;
      }
      int j = k;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - k > bestLen) {
        bestStart = k;
        bestLen = j - k;
      }
      k = j;
    }
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < 8; k++) {
      if (k == bestStart) {
        out.append("::");
        k += bestLen - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(g[k]));
    }
    return out.toString();
  }

  /** One parsed range. */
  private record Range(boolean v4, long hi, long lo, int prefix) {

    static Range parse(String text) {
      int slash = text.indexOf('/');
      String addr = slash < 0 ? text : text.substring(0, slash);
      int prefix = -1;
      if (slash >= 0) {
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
            || (p.length() > 1 && p.charAt(0) == '0')) {
          throw bad(text, "the prefix length after '/' must be a number without leading zeros");
        }
        prefix = Integer.parseInt(p);
      }
      long v4 = parseV4(addr, 0, addr.length());
      if (v4 >= 0) {
        if (prefix > 32) {
          throw bad(text, "an IPv4 prefix length is at most 32");
        }
        return checked(text, new Range(true, 0, v4, prefix < 0 ? 32 : prefix));
      }
      long[] v6 = parseV6(addr);
      if (v6 == null) {
        throw bad(text, "not an IPv4 or IPv6 address in CIDR form, e.g. 10.0.0.0/8 or 2001:db8::/32");
      }
      if (prefix > 128) {
        throw bad(text, "an IPv6 prefix length is at most 128");
      }
      int p = prefix < 0 ? 128 : prefix;
      if (v6[0] == 0 && (v6[1] >>> 32) == 0xFFFFL && p >= 96) {
        return checked(text, new Range(true, 0, v6[1] & 0xFFFFFFFFL, p - 96));
      }
      return checked(text, new Range(false, v6[0], v6[1], p));
    }

    private static Range checked(String text, Range r) {
      Range net = r.network();
      if (!net.equals(r)) {
        throw bad(text, "bits are set beyond the prefix length; the range is " + net);
      }
      return r;
    }

    Range network() {
      if (v4) {
        return new Range(true, 0, lo & (mask32(prefix) & 0xFFFFFFFFL), prefix);
      }
      long[] m = mask128(prefix);
      return new Range(false, hi & m[0], lo & m[1], prefix);
    }

    private static IllegalArgumentException bad(String text, String why) {
      return new IllegalArgumentException(
          "allowed_ips: " + io.blnk.auth.internal.Messages.quote(text) + ": " + why);
    }

    @Override
    public String toString() {
      return (v4 ? v4Text(lo) : v6Text(hi, lo)) + "/" + prefix;
    }
  }

  static String v4Text(long a) {
    return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAllowList other && ranges.equals(other.ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  /** The canonical ranges, comma-separated, e.g. {@code 10.0.0.0/8,2001:db8::/32}. */
  @Override
  public String toString() {
    return String.join(",", ranges);
  }
}
