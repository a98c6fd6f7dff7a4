package com.xentracker.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.Security;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle serves the ECDH key derivation and nothing else; the JDK serves the rest, also under the OIDs Bouncy
 * Castle's CMS code asks for. That they are enough, the module's own tests show: every seal, open, key and
 * certificate in them goes through this provider.
 */
class EnvelopeAlgorithmsTest {

    private static String served(String type, String algorithm) {
        Provider.Service service = Crypto.PROVIDER.getService(type, algorithm);
        return service == null ? "none" : service.getProvider().getName() + " " + service.getClassName();
    }

    @Test
    void bouncyCastleServesOnlyTheKeyAgreementWithTheSha256KdfAndAesGcm() {
        assertThat(Crypto.PROVIDER.getServices()).extracting(service -> service.getType() + "." + service.getAlgorithm())
                .containsExactlyInAnyOrder("KeyAgreement.ECDHWITHSHA256KDF", "Cipher.GCM", "AlgorithmParameters.GCM",
                        "KeyGenerator.2.16.840.1.101.3.4.1.46");
        assertThat(Crypto.PROVIDER.getServices()).allSatisfy(service -> assertThat(service.getClassName())
                .startsWith("org.bouncycastle.jcajce.provider."));
        assertThat(served("KeyAgreement", "1.3.132.1.11.1")).startsWith("Xentracker org.bouncycastle.");
        assertThat(served("Cipher", "2.16.840.1.101.3.4.1.46")).startsWith("Xentracker org.bouncycastle.");
    }

    @Test
    void theJdkServesTheSignaturesKeysCiphersAndDigests() {
        assertThat(served("Signature", "Ed25519")).startsWith("SunEC ");
        assertThat(served("KeyFactory", "1.3.101.112")).startsWith("SunEC ");
        assertThat(served("KeyPairGenerator", "EC")).startsWith("SunEC ");
        assertThat(served("Signature", "SHA256withECDSA")).startsWith("SunEC ");
        assertThat(served("KeyFactory", "1.2.840.10045.2.1")).startsWith("SunEC ");
        assertThat(served("Cipher", "2.16.840.1.101.3.4.1.45")).startsWith("SunJCE ");
        assertThat(served("KeyGenerator", "2.16.840.1.101.3.4.1.45")).startsWith("SunJCE ");
        assertThat(served("MessageDigest", "SHA-512")).startsWith("SUN ");
        assertThat(served("Cipher", "DES")).startsWith("SunJCE "); // whatever the JDK has; nothing from BC
        assertThat(served("Signature", "SHA1withDSA")).startsWith("SUN ");
        assertThat(served("KeyAgreement", "ECMQV")).isEqualTo("none");
    }

    @Test
    void itIsNeverRegisteredGlobally() {
        assertThat(Security.getProviders()).doesNotContain(Crypto.PROVIDER);
        assertThat(Security.getProvider("Xentracker")).isNull();
    }
}
