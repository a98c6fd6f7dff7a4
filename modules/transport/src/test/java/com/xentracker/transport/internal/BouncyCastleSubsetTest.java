package com.xentracker.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.Security;
import org.junit.jupiter.api.Test;

/**
 * The provider holds the envelope's and the keys' algorithms and no others. That they are all there, and enough,
 * the module's own tests show: every seal, open, key and certificate in them goes through it.
 */
class BouncyCastleSubsetTest {

    @Test
    void onlyTheAlgorithmsOfTheEnvelopeAndTheKeysAreRegistered() {
        assertThat(Crypto.PROVIDER.getServices()).extracting(service -> service.getType() + "." + service.getAlgorithm())
                .containsExactlyInAnyOrder("KeyPairGenerator.EC", "KeyFactory.EC", "Signature.SHA256withECDSA",
                        "KeyAgreement.ECDHWITHSHA256KDF", "KeyPairGenerator.Ed25519", "KeyFactory.Ed25519",
                        "Signature.Ed25519", "Cipher.GCM", "AlgorithmParameters.GCM", "KeyGenerator.AES",
                        "KeyGenerator.2.16.840.1.101.3.4.1.46", "KeyGenerator.2.16.840.1.101.3.4.1.45",
                        "Cipher.AESWRAP", "MessageDigest.SHA-512", "MessageDigest.SHA-256");
    }

    @Test
    void itIsNeverRegisteredGloballyAndEveryImplementationIsBouncyCastles() {
        assertThat(Security.getProviders()).doesNotContain(Crypto.PROVIDER);
        for (Provider.Service service : Crypto.PROVIDER.getServices()) {
            assertThat(service.getClassName()).startsWith("org.bouncycastle.jcajce.provider.");
        }
    }
}
