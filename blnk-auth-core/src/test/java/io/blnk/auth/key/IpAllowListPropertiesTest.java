package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link IpAllowList} agrees with the JDK's {@link InetAddress}: every textual form of an address
 * (full, with leading zeros, mixed case, {@code ::} anywhere it may go, an embedded IPv4 tail) is
 * read as the JDK reads it, and membership agrees with a bit-by-bit reference on the JDK's bytes.
 */
final class IpAllowListPropertiesTest {

  @Provide
  Arbitrary<byte[]> addresses() {
    Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
    // Many zero groups, so that :: compression and embedded forms are exercised.
    Arbitrary<byte[]> v6 =
        Arbitraries.integers()
            .between(0, 0xFFFF)
            .injectDuplicates(0.5)
            .list()
            .ofSize(8)
            .map(
                groups -> {
                  byte[] b = new byte[16];
                  for (int i = 0; i < 8; i++) {
                    int g = Math.random() < 0.4 ? 0 : groups.get(i);
                    b[2 * i] = (byte) (g >>> 8);
                    b[2 * i + 1] = (byte) g;
                  }
                  return b;
                });
    return Arbitraries.oneOf(v4, v6);
  }

  @Property(tries = 2000)
  void every_textual_form_is_read_as_the_jdk_reads_it(
      @ForAll("addresses") byte[] address, @ForAll long seed) throws Exception {
    for (String text : forms(address, new Random(seed))) {
      byte[] jdk = InetAddress.getByName(text).getAddress();
      IpAllowList single = IpAllowList.of(text);
      String range = single.ranges().get(0);
      String canonicalAddress = range.substring(0, range.indexOf('/'));

      assertThat(InetAddress.getByName(canonicalAddress).getAddress()).as(text).isEqualTo(jdk);
      assertThat(single.permits(text)).as(text).isTrue();
      assertThat(IpAllowList.parse(single.ranges())).isEqualTo(single);
    }
  }

  @Property(tries = 3000)
  void membership_agrees_with_a_bitwise_reference(
      @ForAll("addresses") byte[] network,
      @ForAll @IntRange(min = 0, max = 128) int prefixSeed,
      @ForAll("addresses") byte[] other,
      @ForAll @IntRange(min = 0, max = 128) int shared,
      @ForAll long seed)
      throws Exception {
    int bits = network.length * 8;
    int prefix = prefixSeed % (bits + 1);
    byte[] net = mask(network, prefix);
    Assume.that(!isMapped(net)); // an IPv4-mapped network is an IPv4 range, tested as such
    // A candidate sharing the first `shared` bits of the network (when of the same family).
    byte[] candidate = other.clone();
    if (candidate.length == net.length) {
      for (int i = 0; i < Math.min(shared, bits); i++) {
        setBit(candidate, i, bit(net, i));
      }
    }
    String rangeText = InetAddress.getByAddress(net).getHostAddress() + "/" + prefix;
    IpAllowList list = IpAllowList.of(rangeText);
    for (String text : forms(candidate, new Random(seed))) {
      InetAddress jdk = InetAddress.getByName(text);
      boolean expected = contains(net, prefix, jdk);

      assertThat(list.permits(text)).as("%s in %s", text, rangeText).isEqualTo(expected);
    }
  }

  @Property(tries = 3000)
  void a_range_covers_another_exactly_when_a_bitwise_reference_says_so(
      @ForAll("addresses") byte[] outerAddress,
      @ForAll @IntRange(min = 0, max = 128) int outerSeed,
      @ForAll("addresses") byte[] innerAddress,
      @ForAll @IntRange(min = 0, max = 128) int innerSeed,
      @ForAll @IntRange(min = 0, max = 128) int shared)
      throws Exception {
    int outerPrefix = outerSeed % (outerAddress.length * 8 + 1);
    byte[] outer = mask(outerAddress, outerPrefix);
    byte[] inner = innerAddress.clone();
    if (inner.length == outer.length) { // many pairs share a start, so that both answers come up
      for (int i = 0; i < Math.min(shared, inner.length * 8); i++) {
        setBit(inner, i, bit(outer, i));
      }
    }
    int innerPrefix = innerSeed % (inner.length * 8 + 1);
    inner = mask(inner, innerPrefix);
    Assume.that(!isMapped(outer) && !isMapped(inner)); // those are IPv4 ranges, tested as such
    IpAllowList outerList = IpAllowList.of(text(outer, outerPrefix));
    IpAllowList innerList = IpAllowList.of(text(inner, innerPrefix));
    boolean expected = inner.length == outer.length && outerPrefix <= innerPrefix;
    for (int i = 0; expected && i < outerPrefix; i++) {
      expected = bit(inner, i) == bit(outer, i);
    }

    assertThat(outerList.covers(innerList))
        .as("%s covers %s", outerList, innerList)
        .isEqualTo(expected);
    // Cross-check with membership: a covered range's first and last addresses are permitted.
    // (An IPv4-mapped last address, as that of ::/80, is an IPv4 client, outside any IPv6 range.)
    if (expected) {
      byte[] last = inner.clone();
      for (int i = innerPrefix; i < last.length * 8; i++) {
        setBit(last, i, true);
      }
      assertThat(outerList.permits(InetAddress.getByAddress(inner).getHostAddress())).isTrue();
      if (!isMapped(last)) {
        assertThat(outerList.permits(InetAddress.getByAddress(last).getHostAddress())).isTrue();
      }
    }
  }

  private static boolean isMapped(byte[] a) throws Exception {
    return a.length == 16 && InetAddress.getByAddress(a) instanceof Inet4Address;
  }

  private static String text(byte[] net, int prefix) throws Exception {
    return InetAddress.getByAddress(net).getHostAddress() + "/" + prefix;
  }

  @Property(tries = 3000)
  void nothing_makes_permits_throw(@ForAll("junk") String text) {
    IpAllowList.of("10.0.0.0/8", "2001:db8::/32").permits(text);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF:.%/[] -g").ofMaxLength(45);
  }

  private static boolean contains(byte[] net, int prefix, InetAddress address) {
    byte[] a = address.getAddress(); // an IPv4-mapped IPv6 literal is an Inet4Address here
    if (a.length != net.length) {
      return false;
    }
    for (int i = 0; i < prefix; i++) {
      if (bit(a, i) != bit(net, i)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] mask(byte[] b, int prefix) {
    byte[] out = b.clone();
    for (int i = prefix; i < b.length * 8; i++) {
      setBit(out, i, false);
    }
    return out;
  }

  private static boolean bit(byte[] b, int i) {
    return (b[i / 8] & (0x80 >>> (i % 8))) != 0;
  }

  private static void setBit(byte[] b, int i, boolean on) {
    if (on) {
      b[i / 8] |= (byte) (0x80 >>> (i % 8));
    } else {
      b[i / 8] &= (byte) ~(0x80 >>> (i % 8));
    }
  }

  /** Textual forms of an address: for IPv6, several of the many the grammar allows. */
  static List<String> forms(byte[] a, Random random) throws Exception {
    List<String> out = new ArrayList<>();
    if (a.length == 4) {
      out.add((a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF));
      // The same client as an IPv4-mapped IPv6 address.
      out.add("::ffff:" + out.get(0));
      return out;
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
    }
    out.add(InetAddress.getByAddress(a).getHostAddress()); // the JDK's own full form
    // Full form, random leading zeros and case.
    StringBuilder full = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      full.append(i == 0 ? "" : ":").append(hexGroup(g[i], random));
    }
    out.add(full.toString());
    // :: replacing a random run of zero groups (of length >= 1).
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      for (int j = i; j < 8 && g[j] == 0; j++) {
        runs.add(new int[] {i, j + 1});
      }
    }
    if (!runs.isEmpty()) {
      int[] run = runs.get(random.nextInt(runs.size()));
      out.add(compressed(g, run[0], run[1], random, false));
      if (run[1] <= 6) {
        out.add(compressed(g, run[0], run[1], random, true));
      }
    }
    // An embedded IPv4 tail without compression.
    out.add(compressed(g, -1, -1, random, true));
    // Guard: InetAddress.getByAddress turns a 16-byte mapped address into Inet4Address text.
    if (InetAddress.getByAddress(a) instanceof Inet4Address) {
      out.remove(0);
    }
    return out;
  }

  private static String compressed(int[] g, int from, int to, Random random, boolean v4Tail) {
    int groups = v4Tail ? 6 : 8;
    StringBuilder s = new StringBuilder();
    boolean first = true;
    for (int i = 0; i < groups; i++) {
      if (i == from) {
        s.append("::");
        i = to - 1;
        first = true;
        continue;
      }
      if (!first) {
        s.append(':');
      }
      s.append(hexGroup(g[i], random));
      first = false;
    }
    if (v4Tail) {
      if (!(from >= 0 && to == 6 && s.toString().endsWith("::"))) {
        s.append(':');
      }
      s.append(g[6] >>> 8).append('.').append(g[6] & 0xFF).append('.')
          .append(g[7] >>> 8).append('.').append(g[7] & 0xFF);
    }
    return s.toString().replace(":::", "::");
  }

  private static String hexGroup(int v, Random random) {
    String h = Integer.toHexString(v);
    int pad = random.nextInt(5 - h.length());
    h = "0".repeat(pad) + h;
    return random.nextBoolean() ? h.toUpperCase(java.util.Locale.ROOT) : h;
  }
}
