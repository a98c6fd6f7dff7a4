package com.xentracker.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AddressThrottleTest {

    @Test
    void anIpv4AddressIsCountedAsItIs() {
        assertThat(AddressThrottle.key("198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void anIpv6AddressIsCountedByItsSlash64() {
        assertThat(AddressThrottle.key("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
        assertThat(AddressThrottle.key("2001:db8:1:2::1")).isEqualTo("2001:db8:1:2::/64");
        assertThat(AddressThrottle.key("[2001:DB8:1:2::ffff]")).isEqualTo("2001:db8:1:2::/64");
        assertThat(AddressThrottle.key("fe80::1%eth0")).isEqualTo("fe80:0:0:0::/64");
        assertThat(AddressThrottle.key("2001:db8:1:3::1")).isNotEqualTo(AddressThrottle.key("2001:db8:1:2::1"));
    }

    @Test
    void anIpv4MappedAddressIsCountedAsTheIpv4Address() {
        assertThat(AddressThrottle.key("::ffff:198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void whatIsNoAddressIsCountedAsGivenAndNeverLookedUp() {
        // a name would be resolved by InetAddress; it must not be, so it is taken as text
        assertThat(AddressThrottle.key("example.org")).isEqualTo("example.org");
        assertThat(AddressThrottle.key("not:an:address:zz")).isEqualTo("not:an:address:zz");
        assertThat(AddressThrottle.key(null)).isEqualTo("unknown");
        assertThat(AddressThrottle.key("  ")).isEqualTo("unknown");
        assertThat(AddressThrottle.key("x".repeat(100))).hasSize(AddressThrottle.MAX_ADDRESS);
    }

    @Test
    void anAddressIsLockedForAMinuteAtTwentyFailuresDoublingUpToAnHour() {
        assertThat(AddressThrottle.lockAfter(20)).isEqualTo(Duration.ofMinutes(1));
        assertThat(AddressThrottle.lockAfter(21)).isEqualTo(Duration.ofMinutes(2));
        assertThat(AddressThrottle.lockAfter(25)).isEqualTo(Duration.ofMinutes(32));
        assertThat(AddressThrottle.lockAfter(26)).isEqualTo(Duration.ofHours(1));
        assertThat(AddressThrottle.lockAfter(10_000)).isEqualTo(Duration.ofHours(1));
    }
}
