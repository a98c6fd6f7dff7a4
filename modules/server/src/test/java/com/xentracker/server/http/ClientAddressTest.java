package com.xentracker.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress behindTwoProxies = ClientAddress.trusting(List.of("10.0.0.1", "10.0.0.2"));

    @Test
    void withoutTrustedProxiesTheClientIsAlwaysThePeer() {
        ClientAddress direct = ClientAddress.trusting(List.of());

        assertThat(direct.of("203.0.113.9", Optional.of("198.51.100.7"))).isEqualTo("203.0.113.9");
    }

    @Test
    void aClientThatIsNotATrustedProxyCannotNameAnotherAddress() {
        assertThat(behindTwoProxies.of("203.0.113.9", Optional.of("198.51.100.7"))).isEqualTo("203.0.113.9");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        // the client wrote a made-up first hop; the proxies appended what they saw
        assertThat(behindTwoProxies.of("10.0.0.1", Optional.of("1.2.3.4, 198.51.100.7, 10.0.0.2")))
                .isEqualTo("198.51.100.7");
        assertThat(behindTwoProxies.of("10.0.0.1", Optional.of("2001:db8::7"))).isEqualTo("2001:db8::7");
    }

    @Test
    void aTrustedProxyWithoutTheHeaderOrOnlyProxiesInItIsTheClientItself() {
        assertThat(behindTwoProxies.of("10.0.0.1", Optional.empty())).isEqualTo("10.0.0.1");
        assertThat(behindTwoProxies.of("10.0.0.1", Optional.of("10.0.0.2"))).isEqualTo("10.0.0.2");
    }

    @Test
    void garbageInTheHeaderStopsAtTheLastAddressATrustedProxyVouchedFor() {
        assertThat(behindTwoProxies.of("10.0.0.1", Optional.of("198.51.100.7, evil.example, 10.0.0.2")))
                .isEqualTo("10.0.0.2");
        assertThat(behindTwoProxies.of("10.0.0.1", Optional.of("not an address"))).isEqualTo("10.0.0.1");
    }
}
