package io.blnk.auth.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client address past trusted proxies, and the IP literal and range parser under it. */
final class ClientAddressTest {

  // Built fresh per use, so that a mutated constructor is seen by every test.
  private static ClientAddress xff() {
    return new ClientAddress(
        List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("2001:db8::/32"), IpRange.parse("127.0.0.1")),
        ClientAddress.Header.X_FORWARDED_FOR);
  }

  private static ClientAddress forwarded() {
    return new ClientAddress(
        List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("2001:db8::/32"), IpRange.parse("127.0.0.1")),
        ClientAddress.Header.FORWARDED);
  }

  private static String resolve(ClientAddress c, String socket, String header, String... values) {
    Fakes.Request r = new Fakes.Request();
    r.remoteAddr = socket;
    for (String v : values) {
      r.header(header, v);
    }
    return c.of(r.build());
  }

  @ParameterizedTest(name = "socket {0}, X-Forwarded-For ''{1}'' -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // an untrusted socket: its address, whatever the header says
        "203.0.113.9 | 198.51.100.1 | 203.0.113.9",
        // a trusted proxy: the right-most untrusted hop
        "10.0.0.1 | 198.51.100.1 | 198.51.100.1",
        "10.0.0.1 | 198.51.100.1, 10.1.2.3 | 198.51.100.1",
        // what the client wrote itself lies left of its own address and is never read
        "10.0.0.1 | 10.9.9.9, 1.2.3.4, 198.51.100.1, 10.1.2.3 | 198.51.100.1",
        "10.0.0.1 | garbage, 198.51.100.1 | 198.51.100.1",
        // garbage met while walking past trusted hops: unknown, never the proxy
        "10.0.0.1 | 198.51.100.1, garbage | unknown",
        "10.0.0.1 | 198.51.100.1, , 10.0.0.2 | unknown",
        "10.0.0.1 | 01.2.3.4 | unknown",
        "10.0.0.1 | 1.2.3.4.5 | unknown",
        "10.0.0.1 | 256.1.1.1 | unknown",
        "10.0.0.1 | example.com | unknown",
        "10.0.0.1 | unknown | unknown",
        // every hop trusted: the left-most
        "10.0.0.1 | 10.0.0.7, 10.0.0.8 | 10.0.0.7",
        // ports and IPv6
        "10.0.0.1 | 198.51.100.1:4711 | 198.51.100.1",
        "10.0.0.1 | 2001:db9::1 | 2001:db9::1",
        "10.0.0.1 | [2001:db9:0:0::1]:443 | 2001:db9::1",
        "10.0.0.1 | ::ffff:198.51.100.1 | 198.51.100.1",
        "10.0.0.1 | 2001:db9::1%eth0 | unknown",
        "[2001:db8::5] | 198.51.100.1 | 198.51.100.1",
        "127.0.0.1 | 198.51.100.1 | 198.51.100.1",
      })
  void xForwardedForIsReadRightToLeftPastTrustedHops(String socket, String header, String expected) {
    assertThat(resolve(xff(), socket, "X-Forwarded-For", header)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "Forwarded ''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "for=198.51.100.1 | 198.51.100.1",
        "For=198.51.100.1;proto=https;by=10.0.0.1 | 198.51.100.1",
        "for=\"[2001:db9:cafe::17]:4711\" | 2001:db9:cafe::17",
        "for=\"198.51.100.1:80\", for=10.0.0.3 | 198.51.100.1",
        "for=192.0.2.43, for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com | 198.51.100.17",
        "for=198.51.100.1, for=unknown | unknown",
        "for=198.51.100.1, for=_hidden | unknown",
        "for=198.51.100.1, proto=https | unknown",
        "for=198.51.100.1, for=\"[2001:db9::1] | unknown",
        "for=198.51.100.1, for=2001:db9::1 | unknown",
        "for=198.51.100.1, for=\"[198.51.100.2]\" | unknown",
        "for=198.51.100.1, for=10.0.0.5;for=10.0.0.6 | unknown",
        "for=10.0.0.9, for=10.0.0.8 | 10.0.0.9",
        "for=\"1.2.3.4\", for=\"[::ffff:198.51.100.1]:1\" | 198.51.100.1",
      })
  void forwardedIsReadRightToLeftPastTrustedHops(String header, String expected) {
    assertThat(resolve(forwarded(), "10.0.0.1", "Forwarded", header)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void severalHeaderLinesAreOneListInOrder() {
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", "1.1.1.1, 198.51.100.1", "10.0.0.2"))
        .isEqualTo("198.51.100.1");
    assertThat(resolve(forwarded(), "10.0.0.1", "Forwarded", "for=1.1.1.1", "for=198.51.100.1", "for=10.0.0.2"))
        .isEqualTo("198.51.100.1");
  }

  @org.junit.jupiter.api.Test
  void onlyTheConfiguredHeaderIsRead() {
    Fakes.Request r = new Fakes.Request();
    r.remoteAddr = "10.0.0.1";
    r.header("X-Forwarded-For", "198.51.100.1");
    r.header("Forwarded", "for=10.0.0.77");
    assertThat(xff().of(r.build())).isEqualTo("198.51.100.1");
    assertThat(forwarded().of(r.build())).isEqualTo("10.0.0.77");
  }

  @org.junit.jupiter.api.Test
  void aTrustedProxyWithoutTheHeaderIsItself() {
    assertThat(resolve(xff(), "10.0.0.1", "X-Other", "x")).isEqualTo("10.0.0.1");
  }

  @org.junit.jupiter.api.Test
  void withoutTrustedProxiesTheSocketAnswersAndTheHeaderIsIgnored() {
    assertThat(resolve(ClientAddress.SOCKET, "10.0.0.1", "X-Forwarded-For", "198.51.100.1")).isEqualTo("10.0.0.1");
    assertThat(resolve(ClientAddress.SOCKET, "[::1]", "X-Forwarded-For", "198.51.100.1")).isEqualTo("::1");
    Fakes.Request r = new Fakes.Request();
    r.remoteAddr = null;
    assertThat(ClientAddress.SOCKET.of(r.build())).isEmpty();
  }

  @ParameterizedTest(name = "Forwarded ''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // an empty value, a trailing comma, a value ending in a bare name or '=': no node
        "'' | unknown",
        "'for=198.51.100.1, ' | unknown",
        "for=198.51.100.1, secret | unknown",
        "for=198.51.100.1, for= | unknown",
        // a parameter without a value, or a value without a name, breaks its element
        "for=198.51.100.1;secure | unknown",
        "for=198.51.100.1;=x | unknown",
        "for=1.1.1.1, =198.51.100.1 | unknown",
        // quoted-string escapes (RFC 7230 quoted-pair)
        "for=\"198.51.100\\.1\" | 198.51.100.1",
        "for=\"198.51.100.1\\\" | unknown",
        "for=\"198.51.100.1\\ | unknown",
        // only whitespace may follow the closing quote
        "'for=\"198.51.100.1\"  ;proto=https' | 198.51.100.1",
        "for=\"198.51.100.1\"x;proto=https | unknown",
        "for=\"198.51.100.1\"x | unknown",
        // an obfuscated port is a port; digits are at most five
        "for=\"198.51.100.1:_aZz09.-_\" | 198.51.100.1",
        "for=\"[2001:db9::1]:_AzZ.a\" | 2001:db9::1",
        "for=\"198.51.100.1:65535\" | 198.51.100.1",
        "for=\"198.51.100.1:123456\" | unknown",
        "for=\"198.51.100.1:_abc/\" | unknown",
      })
  void forwardedElementsThatNameNoNodeEndTheWalk(String header, String expected) {
    assertThat(resolve(forwarded(), "10.0.0.1", "Forwarded", header)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aTabAfterTheClosingQuoteIsWhitespace() {
    assertThat(resolve(forwarded(), "10.0.0.1", "Forwarded", "for=\"198.51.100.1\"\t;proto=https"))
        .isEqualTo("198.51.100.1");
    assertThat(resolve(forwarded(), "10.0.0.1", "Forwarded", "for=1.1.1.1,\tfor=198.51.100.1"))
        .isEqualTo("198.51.100.1");
  }

  @ParameterizedTest(name = "X-Forwarded-For ''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // bracketed IPv6 with and without a port
        "[2001:db9::1] | 2001:db9::1",
        "[2001:db9::1]:8080 | 2001:db9::1",
        "[2001:db9::1]x | unknown",
        "[2001:db9::1]: | unknown",
        "[2001:db9::1 | unknown",
        "[nonsense]:80 | unknown",
        "[198.51.100.1] | unknown",
        // IPv4 with a port: digits, at most five
        "198.51.100.1:0 | 198.51.100.1",
        "198.51.100.1:99999 | 198.51.100.1",
        "198.51.100.1:123456 | unknown",
        "198.51.100.1: | unknown",
        "198.51.100.1:8a | unknown",
        "198.51.100.1:/ | unknown",
        "198.51.100.1:: | unknown",
        // obfuscated ports: '_' then letters, digits, '.', '_', '-'
        "198.51.100.1:_az | 198.51.100.1",
        "198.51.100.1:_AZ | 198.51.100.1",
        "198.51.100.1:_09 | 198.51.100.1",
        "198.51.100.1:_.-_ | 198.51.100.1",
        "198.51.100.1:_a` | unknown",
        "198.51.100.1:_a{ | unknown",
        "198.51.100.1:_a@ | unknown",
        "198.51.100.1:_a[ | unknown",
        "198.51.100.1:_a/ | unknown",
        "198.51.100.1:_a: | unknown",
        "198.51.100.1:_a+ | unknown",
        "198.51.100.1:a_ | unknown",
      })
  void xForwardedForNodesAndPorts(String header, String expected) {
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", header)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void anObfuscatedPortIsAtMostFortyCharactersWithItsColon() {
    String thirtyNine = ":_" + "a".repeat(38);
    assertThat(thirtyNine).hasSize(40);
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", "198.51.100.1" + thirtyNine)).isEqualTo("198.51.100.1");
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", "198.51.100.1" + thirtyNine + "a")).isEqualTo("unknown");
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", "[2001:db9::1]" + thirtyNine)).isEqualTo("2001:db9::1");
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", "[2001:db9::1]" + thirtyNine + "a")).isEqualTo("unknown");
  }

  @org.junit.jupiter.api.Test
  void theSocketAddressIsUnbracketedOnlyWhenBracketedOnBothSides() {
    assertThat(ClientAddress.unbracket("[::1]")).isEqualTo("::1");
    assertThat(ClientAddress.unbracket("[]")).isEmpty();
    assertThat(ClientAddress.unbracket("[")).isEqualTo("[");
    assertThat(ClientAddress.unbracket("]")).isEqualTo("]");
    assertThat(ClientAddress.unbracket("[::1")).isEqualTo("[::1");
    assertThat(ClientAddress.unbracket("::1]")).isEqualTo("::1]");
    assertThat(ClientAddress.unbracket(null)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void toStringNamesTheHeaderAndRangesButNoRequestData() {
    assertThat(ClientAddress.SOCKET).hasToString("ClientAddress[socket]");
    assertThat(ClientAddress.SOCKET.trustsProxies()).isFalse();
    ClientAddress c = new ClientAddress(List.of(IpRange.parse("10.0.0.0/8")), ClientAddress.Header.FORWARDED);
    assertThat(c.trustsProxies()).isTrue();
    assertThat(c.toString()).startsWith("ClientAddress[Forwarded past [").contains("10.0.0.0/8").endsWith("]]");
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.1/8", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x", "example.com", "10.0.0", "::1/0x", "1.2.3.4/-1"})
  void invalidRangesAreRefusedNamingTheInput(String cidr) {
    assertThatThrownBy(() -> IpRange.parse(cidr)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(cidr);
  }

  @org.junit.jupiter.api.Test
  void theBuilderRefusesABadRangeOrHeader() {
    assertThatThrownBy(() -> FilterSettings.parseBoolean("x", "maybe")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClientAddress.Header.named("X-Real-IP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Real-IP");
    assertThat(ClientAddress.Header.named("forwarded")).isEqualTo(ClientAddress.Header.FORWARDED);
  }

  // Properties

  @Property
  void whatAClientPrependsNeverChangesTheAnswer(
      @ForAll("hops") List<String> prefix, @ForAll("untrusted") String client, @ForAll @IntRange(max = 3) int proxies) {
    StringBuilder header = new StringBuilder(String.join(", ", prefix));
    header.append(header.length() == 0 ? "" : ", ").append(client);
    for (int i = 0; i < proxies; i++) {
      header.append(", 10.0.0.").append(i + 2);
    }
    assertThat(resolve(xff(), "10.0.0.1", "X-Forwarded-For", header.toString()))
        .isEqualTo(IpRange.text(IpRange.literal(client)));
  }

  @Provide
  Arbitrary<List<String>> hops() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20).filter(s -> s.indexOf(',') < 0),
            Arbitraries.of("10.0.0.9", "127.0.0.1", "unknown", "[::1]", "2001:db8::1", "1.2.3.4"))
        .list()
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<String> untrusted() {
    return Arbitraries.integers()
        .between(11, 223)
        .tuple4()
        .map(t -> t.get1() + "." + t.get2() + "." + t.get3() + "." + t.get4());
  }

  @Property
  void ipv6TextIsCanonicalAndRoundTrips(@ForAll @Size(16) byte[] bytes) throws Exception {
    String text = IpRange.text(bytes);
    InetAddress java = InetAddress.getByAddress(bytes);
    byte[] back = IpRange.literal(text);
    if (back.length == 4) { // an IPv4-mapped address
      assertThat(java.getAddress()).isEqualTo(back);
    } else {
      assertThat(back).isEqualTo(bytes);
      assertThat(text).doesNotContain(":::").isEqualTo(text.toLowerCase());
    }
  }

  @Property
  void rangeMembershipAgreesWithTheBitwiseDefinition(
      @ForAll @Size(16) byte[] network, @ForAll @IntRange(max = 128) int prefix, @ForAll @Size(16) byte[] address) {
    BigInteger mask = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).shiftRight(prefix).not();
    BigInteger net = new BigInteger(1, network).and(mask);
    byte[] netBytes = new byte[16];
    byte[] raw = net.toByteArray();
    System.arraycopy(raw, Math.max(0, raw.length - 16), netBytes, Math.max(0, 16 - raw.length), Math.min(16, raw.length));
    if (IpRange.literal(IpRange.text(netBytes)).length != 16) {
      return; // an IPv4-mapped network parses as IPv4
    }
    IpRange range = IpRange.parse(IpRange.text(netBytes) + "/" + prefix);
    boolean expected = new BigInteger(1, address).and(mask).equals(net);
    assertThat(range.contains(address)).isEqualTo(expected);
  }

  @Property
  void ipv4LiteralsAgreeWithTheirDefinition(@ForAll @IntRange(max = 300) int a, @ForAll @IntRange(max = 255) int b) {
    byte[] parsed = IpRange.literal(a + "." + b + ".0.1");
    if (a > 255) {
      assertThat(parsed).isNull();
    } else {
      assertThat(parsed).containsExactly((byte) a, (byte) b, 0, 1);
    }
  }
}
