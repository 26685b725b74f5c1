package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressRangeTest {
  @Test
  void ipv4AndIpv6RangesMatchTheirAddressesOnly() {
    assertThat(AddressRange.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
    assertThat(AddressRange.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
    assertThat(AddressRange.parse("127.0.0.1").contains("127.0.0.1")).isTrue();
    assertThat(AddressRange.parse("127.0.0.1").contains("127.0.0.2")).isFalse();
    assertThat(AddressRange.parse("2001:db8::/32").contains("2001:db8:1::5")).isTrue();
    assertThat(AddressRange.parse("2001:db8::/32").contains("2001:db9::5")).isFalse();
    assertThat(AddressRange.parse("::1").contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(AddressRange.parse("10.0.0.0/8").contains("::1")).isFalse();
    assertThat(AddressRange.parse("127.0.0.0/8").contains("::ffff:127.0.0.9")).as("IPv4-mapped").isTrue();
    assertThat(AddressRange.parse("0.0.0.0/0").contains("8.8.8.8")).isTrue();
  }

  @Test
  void aPrefixThatEndsInsideAByteComparesOnlyItsBits() {
    assertThat(AddressRange.parse("10.128.0.0/9").contains("10.200.3.4")).isTrue();
    assertThat(AddressRange.parse("10.128.0.0/9").contains("10.127.255.255")).isFalse();
    assertThat(AddressRange.parse("192.168.1.64/27").contains("192.168.1.95")).isTrue();
    assertThat(AddressRange.parse("192.168.1.64/27").contains("192.168.1.96")).isFalse();
    assertThat(AddressRange.parse("2001:db8:8000::/33").contains("2001:db8:ffff::1")).isTrue();
    assertThat(AddressRange.parse("2001:db8:8000::/33").contains("2001:db8:7fff::1")).isFalse();
    assertThat(AddressRange.parse("10.0.0.0/8").contains((byte[]) null)).isFalse();
  }

  @Test
  void hostNamesAndBadLengthsAreRefusedWithoutALookup() {
    assertThatThrownBy(() -> AddressRange.parse("localhost")).hasMessageContaining("not an IPv4 or IPv6");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
    assertThatThrownBy(() -> AddressRange.parse("::/129")).hasMessageContaining("0 to 128");
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
  }
}
