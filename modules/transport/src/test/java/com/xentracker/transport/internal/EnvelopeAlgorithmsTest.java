package com.xentracker.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
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
        assertThat(served("KeyAgreement", "1.3.132.1.11.1")).startsWith("Xentracker org.bouncycastle.");
        assertThat(served("Cipher", "2.16.840.1.101.3.4.1.46"))
                .isEqualTo("Xentracker " + GcmCipher.class.getName());
    }

    @Test
    void theContentKeyOfAes256GcmHas256Bits() throws Exception {
        assertThat(KeyGenerator.getInstance("2.16.840.1.101.3.4.1.46", Crypto.PROVIDER).generateKey().getEncoded())
                .hasSize(32);
    }

    @Test
    void gcmTakesAadAfterTheContentAndRefusesATamperedTag() throws Exception {
        SecretKey key = KeyGenerator.getInstance("2.16.840.1.101.3.4.1.46", Crypto.PROVIDER).generateKey();
        Cipher encrypt = Cipher.getInstance("2.16.840.1.101.3.4.1.46", Crypto.PROVIDER);
        encrypt.init(Cipher.ENCRYPT_MODE, key, Crypto.random());
        byte[] first = encrypt.update("content".getBytes(StandardCharsets.UTF_8));
        encrypt.updateAAD("attributes".getBytes(StandardCharsets.UTF_8));
        byte[] sealed = concat(first, encrypt.doFinal());
        GCMParameterSpec parameters = encrypt.getParameters().getParameterSpec(GCMParameterSpec.class);
        assertThat(parameters.getTLen()).isEqualTo(128);
        assertThat(parameters.getIV()).hasSize(12);

        Cipher decrypt = Cipher.getInstance("2.16.840.1.101.3.4.1.46", Crypto.PROVIDER);
        decrypt.init(Cipher.DECRYPT_MODE, key, parameters);
        byte[] plain = decrypt.update(sealed);
        decrypt.updateAAD("attributes".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(concat(plain, decrypt.doFinal()), StandardCharsets.UTF_8)).isEqualTo("content");

        sealed[sealed.length - 1] ^= 1;
        decrypt.init(Cipher.DECRYPT_MODE, key, parameters);
        decrypt.updateAAD("attributes".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decrypt.doFinal(sealed)).isInstanceOf(AEADBadTagException.class);
        // the same content, other attributes: refused too
        sealed[sealed.length - 1] ^= 1;
        decrypt.init(Cipher.DECRYPT_MODE, key, parameters);
        decrypt.updateAAD("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decrypt.doFinal(sealed)).isInstanceOf(AEADBadTagException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a == null ? new byte[0] : a, (a == null ? 0 : a.length) + b.length);
        System.arraycopy(b, 0, both, both.length - b.length, b.length);
        return both;
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
