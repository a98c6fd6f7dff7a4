package com.xentracker.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class PinnedTrustTest {

    // only pinned, never used in a handshake: no time is checked, a fixed clock issues it
    private final CertificateAuthority ca = CertificateAuthority.generate("Acme CA",
            Clock.fixed(Instant.parse("2026-11-29T09:00:00Z"), ZoneOffset.UTC));

    @Test
    void byDefaultThePinnedCaIsTheOnlyAuthority() throws Exception {
        KeyStore anchors = PinnedTrust.anchors(ca.certificate(), false);

        assertThat(Collections.list(anchors.aliases())).containsExactly("xentracker-ca");
        assertThat(PinnedTrust.trusting(ca.certificate())).isNotNull();
    }

    @Test
    void theSystemAuthoritiesAreAddedOnlyWhenAsked() throws Exception {
        int system = PinnedTrust.systemAuthorities().size();
        KeyStore anchors = PinnedTrust.anchors(ca.certificate(), true);

        assertThat(system).as("the JDK's cacerts (Debian: ca-certificates-java)").isPositive();
        assertThat(anchors.size()).isEqualTo(system + 1);
        assertThat(anchors.isCertificateEntry("xentracker-ca")).isTrue();
        assertThat(PinnedTrust.trusting(ca.certificate(), true)).isNotNull();
    }
}
