package io.blnk.auth.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Allowed client addresses: strict, canonical parsing and exact matching, table by table. */
final class IpAllowListTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/8",
    "192.0.2.7, 192.0.2.7/32",
    "0.0.0.0/0, 0.0.0.0/0",
    "2001:DB8::/32, 2001:db8::/32",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1/128",
    "::, ::/128",
    "::/0, ::/0",
    "::1, ::1/128",
    "1:0:0:1:0:0:0:1, 1:0:0:1::1/128",
    "1:0:0:0:1:0:0:1, 1::1:0:0:1/128",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1/128",
    "::ffff:10.0.0.0/104, 10.0.0.0/8",
    "::ffff:192.0.2.7, 192.0.2.7/32",
    "::1.2.3.4, ::102:304/128",
    "fe80::/10, fe80::/10",
    "::ffff:0:0/96, 0.0.0.0/0",
  })
  void ranges_are_printed_canonically(String given, String canonical) {
    IpAllowList list = IpAllowList.of(given);

    assertThat(list.ranges()).containsExactly(canonical);
    assertThat(IpAllowList.parse(list.ranges())).isEqualTo(list);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/08",
        "10.0.0.0/-1",
        "10.0.0.1/8",
        "010.0.0.0/8",
        "256.0.0.0/8",
        "10.0.0/8",
        "10.0.0.0.0",
        "2001:db8::/129",
        "2001:db8::1/32",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "1::2::3",
        ":1::",
        "1:",
        "12345::",
        "::1.2.3",
        "::1.2.3.4:5",
        "fe80::1%eth0",
        "example.com",
        " 10.0.0.0/8",
        "1::2:3:4:5:6:7:8",
        "1:2:3:4::5:6:7:8",
        "::1:2:3:4:5:6:7:8",
      })
  void invalid_ranges_are_refused_naming_the_range(String range) {
    assertThatThrownBy(() -> IpAllowList.of(range))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("allowed_ips: ");
  }

  @Test
  void a_range_with_host_bits_names_the_range_it_probably_meant() {
    assertThatThrownBy(() -> IpAllowList.of("10.1.2.3/8"))
        .hasMessageContaining("10.0.0.0/8");
  }

  @Test
  void more_than_the_most_ranges_are_refused() {
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i <= IpAllowList.MAX_RANGES; i++) {
      many.add("10.0." + i + ".0/24");
    }
    assertThatThrownBy(() -> IpAllowList.parse(many)).hasMessageContaining("at most 64");
  }

  @Test
  void duplicates_are_kept_once() {
    assertThat(IpAllowList.of("10.0.0.0/8", "10.0.0.0/8", "::1", "0:0::1").ranges())
        .containsExactly("10.0.0.0/8", "::1/128");
  }

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource({
    "10.1.2.3, 10.0.0.0/8, true",
    "11.0.0.0, 10.0.0.0/8, false",
    "9.255.255.255, 10.0.0.0/8, false",
    "10.255.255.255, 10.0.0.0/8, true",
    "192.0.2.7, 192.0.2.7, true",
    "192.0.2.8, 192.0.2.7, false",
    "1.2.3.4, 0.0.0.0/0, true",
    "::ffff:10.9.8.7, 10.0.0.0/8, true",
    "::FFFF:10.9.8.7, 10.0.0.0/8, true",
    "::ffff:a09:807, 10.0.0.0/8, true",
    "::ffff:11.9.8.7, 10.0.0.0/8, false",
    "2001:db8::1, 2001:db8::/32, true",
    "2001:DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF, 2001:db8::/32, true",
    "2001:db9::, 2001:db8::/32, false",
    "fe80::1%eth0, fe80::/10, true",
    "fe80::1%, fe80::/10, true",
    "::1, ::1, true",
    "0:0:0:0:0:0:0:1, ::1, true",
    "::2, ::1, false",
    "::, ::/0, true",
    "10.1.2.3, ::/0, false",
    "::ffff:10.1.2.3, ::/0, false",
    "2001:db8::1, 10.0.0.0/8, false",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:0/112, true",
    "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6::/96, true",
    "1::, 1::/16, true",
    "1::8, 1::/127, false",
    "2001:db8:0:1::abcd, 2001:db8:0:1::/64, true",
    "2001:db8:0:2::, 2001:db8:0:1::/64, false",
    "::, ::1, false",
    "::, 10.0.0.0/8, false",
    "::ffff:1.2.3.4, ::ffff:0:0/96, true",
  })
  void an_address_is_permitted_exactly_when_a_range_holds_it(
      String address, String range, boolean permitted) {
    assertThat(IpAllowList.of(range).permits(address)).isEqualTo(permitted);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(
      strings = {
        "", " ", "10.1.2.3 ", " 10.1.2.3", "10.1.2", "10.1.2.3.4", "010.1.2.3", "10.1.2.256",
        "[::1]", "::1]", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::", ":", "1:", "::g", "10.1.2.3:80",
        "unknown", "-", "%eth0", "1:2:3:4:5:6:7:1.2.3.4"
      })
  void anything_but_an_address_in_a_range_is_refused_by_a_restricted_list(String address) {
    IpAllowList list = IpAllowList.of("0.0.0.0/0", "::/0");

    assertThat(list.permits(address)).isFalse();
    assertThat(list.permits(null)).isFalse();
  }

  @Test
  void an_empty_list_restricts_nothing_not_even_an_unknown_address() {
    assertThat(IpAllowList.parse(List.of())).isSameAs(IpAllowList.ANY);
    assertThat(IpAllowList.ANY.isUnrestricted()).isTrue();
    assertThat(IpAllowList.ANY.permits("")).isTrue();
    assertThat(IpAllowList.ANY.permits("garbage")).isTrue();
    assertThat(IpAllowList.ANY.toString()).isEmpty();
  }

  @Test
  void text_is_the_canonical_ranges_joined_by_commas() {
    assertThat(IpAllowList.of("10.0.0.0/8", "2001:DB8::/32").toString())
        .isEqualTo("10.0.0.0/8,2001:db8::/32");
  }

  @Test
  void aListCoversTheListsWhoseEveryRangeLiesInOneOfItsRanges() {
    IpAllowList office = IpAllowList.of("10.0.0.0/8", "2001:db8::/32");

    assertThat(office.covers(IpAllowList.of("10.1.0.0/16", "10.2.3.4"))).isTrue();
    assertThat(office.covers(IpAllowList.of("2001:db8:1::/48", "10.0.0.0/8"))).isTrue();
    assertThat(office.covers(IpAllowList.of("::ffff:10.9.9.9"))).isTrue(); // an IPv4 client
    assertThat(office.covers(IpAllowList.of("10.1.0.0/16", "192.0.2.1"))).isFalse();
    assertThat(office.covers(IpAllowList.of("0.0.0.0/0"))).isFalse();
    assertThat(office.covers(IpAllowList.of("2001:db8::/31"))).isFalse();
    assertThat(office.covers(IpAllowList.ANY)).isFalse();
    assertThat(IpAllowList.ANY.covers(office)).isTrue();
    assertThat(IpAllowList.ANY.covers(IpAllowList.ANY)).isTrue();
  }

  @Test
  void aRangeSplitAcrossTwoOfTheListsRangesIsNotCounted() {
    IpAllowList halves = IpAllowList.of("192.0.2.0/25", "192.0.2.128/25");

    assertThat(halves.covers(IpAllowList.of("192.0.2.0/24"))).isFalse(); // errs towards no
    assertThat(halves.covers(IpAllowList.of("192.0.2.128/26"))).isTrue();
  }

  @Test
  void anIpv6RangeHoldingTheMappedBlockStillPermitsNoIpv4Client() {
    // ::/80 spans ::ffff:0:0/96, but a client there is an IPv4 client, which no IPv6 range holds;
    // so ::/0 covers ::/80 and neither lets 255.255.255.255 in, whichever way it is written.
    IpAllowList all = IpAllowList.of("::/0");
    IpAllowList low = IpAllowList.of("::/80");

    assertThat(all.covers(low)).isTrue();
    for (String client : List.of("255.255.255.255", "::ffff:255.255.255.255", "::ffff:ffff:ffff")) {
      assertThat(all.permits(client)).as(client).isFalse();
      assertThat(low.permits(client)).as(client).isFalse();
    }
    assertThat(low.permits("::fffe:ffff:ffff")).isTrue();
    assertThat(all.covers(IpAllowList.of("::ffff:0:0/96"))).isFalse(); // that is 0.0.0.0/0
  }

  @Test
  void exactly_the_most_ranges_are_accepted() {
    List<String> most = new java.util.ArrayList<>();
    for (int i = 0; i < IpAllowList.MAX_RANGES; i++) {
      most.add("10.0." + i + ".0/24");
    }
    assertThat(IpAllowList.parse(most).ranges()).hasSize(IpAllowList.MAX_RANGES);
  }

  @Test
  void a_prefix_without_an_address_is_refused_for_its_prefix_first() {
    assertThatThrownBy(() -> IpAllowList.of("/08"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "allowed_ips: \"/08\": the prefix length after '/' must be a number without leading zeros");
    assertThatThrownBy(() -> IpAllowList.of("/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("not an IPv4 or IPv6 address in CIDR form, e.g. 10.0.0.0/8 or 2001:db8::/32");
  }

  @Test
  void lists_are_equal_exactly_when_their_canonical_ranges_are() {
    IpAllowList list = IpAllowList.of("10.0.0.0/8", "2001:DB8::/32");
    IpAllowList same = IpAllowList.of("10.0.0.0/8", "2001:db8:0::/32");

    assertThat(list).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(list)
        .isNotEqualTo(IpAllowList.of("2001:db8::/32", "10.0.0.0/8"))
        .isNotEqualTo(IpAllowList.of("10.0.0.0/8"))
        .isNotEqualTo(IpAllowList.ANY)
        .isNotEqualTo("10.0.0.0/8,2001:db8::/32");
    assertThat(list.hashCode())
        .isNotEqualTo(IpAllowList.of("10.0.0.0/8").hashCode())
        .isNotEqualTo(IpAllowList.ANY.hashCode());
  }
}
