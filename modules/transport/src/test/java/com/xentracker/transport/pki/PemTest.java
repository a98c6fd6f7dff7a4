package com.xentracker.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.xentracker.transport.InvalidKeyMaterialException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PemTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T09:00:00Z"), ZoneOffset.UTC);

    @Test
    void certificateRoundTripsThroughPem() {
        X509Certificate certificate = OrganizationKey.generate("Acme", CLOCK).certificate();

        String pem = Pem.encode(certificate);

        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
        assertThat(Pem.certificate(pem)).isEqualTo(certificate);
    }

    @Test
    void ed25519KeysRoundTripThroughPem() {
        KeyPair device = DeviceKeys.generate();

        String publicPem = Pem.encodePublicKey(device.getPublic());
        String privatePem = Pem.encodePrivateKey(device.getPrivate());

        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.publicKey(publicPem).getEncoded()).isEqualTo(device.getPublic().getEncoded());
        assertThat(Pem.privateKey(privatePem).getEncoded()).isEqualTo(device.getPrivate().getEncoded());
    }

    @Test
    void ecKeysRoundTripThroughPem() {
        OrganizationKey organization = OrganizationKey.generate("Acme", CLOCK);

        PrivateKey privateKey = Pem.privateKey(Pem.encodePrivateKey(organization.privateKey()));

        assertThat(privateKey.getAlgorithm()).isEqualTo("EC");
        assertThat(privateKey.getEncoded()).isEqualTo(organization.privateKey().getEncoded());
        assertThat(Pem.publicKey(Pem.encodePublicKey(organization.certificate().getPublicKey())).getEncoded())
                .isEqualTo(organization.certificate().getPublicKey().getEncoded());
    }

    @Test
    void garbageIsInvalidKeyMaterial() {
        assertThatThrownBy(() -> Pem.certificate("hello")).isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> Pem.publicKey("")).isInstanceOf(InvalidKeyMaterialException.class);
        assertThatThrownBy(() -> Pem.privateKey(null)).isInstanceOf(InvalidKeyMaterialException.class);
    }

    @Test
    void brokenBase64IsInvalidKeyMaterial() {
        String broken = "-----BEGIN PUBLIC KEY-----\n!!!not base64!!!\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> Pem.publicKey(broken)).isInstanceOf(InvalidKeyMaterialException.class);
    }

    @Test
    void validBase64ThatIsNotDerIsInvalidKeyMaterial() {
        String notDer = "-----BEGIN PRIVATE KEY-----\naGVsbG8gd29ybGQ=\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> Pem.privateKey(notDer)).isInstanceOf(InvalidKeyMaterialException.class)
                .hasMessageNotContaining("aGVsbG8");
    }

    @Test
    void truncatedPemIsInvalidKeyMaterial() {
        String pem = Pem.encode(OrganizationKey.generate("Acme", CLOCK).certificate());

        assertThatThrownBy(() -> Pem.certificate(pem.substring(0, pem.length() / 2)))
                .isInstanceOf(InvalidKeyMaterialException.class);
    }

    @Test
    void aBlockOfAnotherTypeIsRefused() {
        String privatePem = Pem.encodePrivateKey(DeviceKeys.generate().getPrivate());

        assertThatThrownBy(() -> Pem.publicKey(privatePem)).isInstanceOf(InvalidKeyMaterialException.class)
                .hasMessageContaining("PRIVATE KEY").hasMessageContaining("expected PUBLIC KEY");
    }

    @Test
    void twoBlocksAreRefused() {
        String one = Pem.encodePublicKey(DeviceKeys.generate().getPublic());

        assertThatThrownBy(() -> Pem.publicKey(one + one)).isInstanceOf(InvalidKeyMaterialException.class)
                .hasMessageContaining("more than one");
    }
}
