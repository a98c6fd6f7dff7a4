package com.xentracker.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityProvidersTest {

    @Test
    void theConfigurationIsReadByNameWithoutLoadingAProvider() {
        Map<String, String> jdk = Map.of("security.provider.1", "SUN", "security.provider.2", "SunRsaSign",
                "security.provider.3", "SunEC", "security.provider.4", "SunJSSE");
        Map<String, String> agentRuntime = Map.of("security.provider.1", "SUN", "security.provider.2", "SunRsaSign",
                "security.provider.3", "SunJSSE", "security.provider.4", "SunJCE");

        assertThat(SecurityProviders.configured("SunEC", jdk::get)).isTrue();
        assertThat(SecurityProviders.configured("SunEC", agentRuntime::get)).isFalse();
        assertThat(SecurityProviders.configured("SunEC", Map.of("security.provider.1", "sun.security.ec.SunEC")::get))
                .isTrue();
    }

    @Test
    void theEllipticCurveProviderIsFoundAmongThePlatformsModulesWithTheAlgorithmsTlsNeeds() {
        Provider provider = SecurityProviders.ellipticCurves().orElseThrow();

        assertThat(provider.getName()).isEqualTo("SunEC");
        assertThat(provider.getService("KeyAgreement", "ECDH")).isNotNull();
        assertThat(provider.getService("KeyAgreement", "XDH")).isNotNull();
        assertThat(provider.getService("Signature", "SHA256withECDSA")).isNotNull();
        assertThat(provider.getService("KeyFactory", "EC")).isNotNull();
    }
}
