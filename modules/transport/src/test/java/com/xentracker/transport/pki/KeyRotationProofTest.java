package com.xentracker.transport.pki;

import static org.assertj.core.api.Assertions.assertThat;

import com.xentracker.transport.wire.DeviceKeyRotation;
import java.security.KeyPair;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyRotationProofTest {

    private final UUID device = UUID.randomUUID();
    private final KeyPair enrolled = DeviceKeys.generate();
    private final KeyPair next = DeviceKeys.generate();

    @Test
    void aRotationSignedByBothKeysVerifiesAgainstTheEnrolledKey() {
        DeviceKeyRotation rotation = KeyRotationProof.create(device, enrolled.getPrivate(), next);

        assertThat(Pem.publicKey(rotation.newPublicKeyPem())).isEqualTo(next.getPublic());
        assertThat(KeyRotationProof.verify(rotation, enrolled.getPublic())).isTrue();
        assertThat(KeyRotationProof.verifyNewKey(rotation)).isTrue();
    }

    @Test
    void aProofDoesNotHoldForAnotherEnrolledKeyDeviceOrNewKey() {
        DeviceKeyRotation rotation = KeyRotationProof.create(device, enrolled.getPrivate(), next);
        String otherKey = Pem.encodePublicKey(DeviceKeys.generate().getPublic());

        assertThat(KeyRotationProof.verify(rotation, DeviceKeys.generate().getPublic())).isFalse();
        assertThat(KeyRotationProof.verify(new DeviceKeyRotation(UUID.randomUUID(), rotation.newPublicKeyPem(),
                rotation.signatureByOldKey(), rotation.signatureByNewKey()), enrolled.getPublic())).isFalse();
        assertThat(KeyRotationProof.verify(new DeviceKeyRotation(device, otherKey, rotation.signatureByOldKey(),
                rotation.signatureByNewKey()), enrolled.getPublic())).isFalse();
        assertThat(KeyRotationProof.verify(new DeviceKeyRotation(device, rotation.newPublicKeyPem(),
                rotation.signatureByOldKey(), "not base64!"), enrolled.getPublic())).isFalse();
    }

    @Test
    void thePublicKeyIsDerivedFromAnEd25519PrivateKey() {
        assertThat(DeviceKeys.publicKeyOf(next.getPrivate())).isEqualTo(next.getPublic());
        assertThat(DeviceKeys.publicKeyOf(Pem.privateKey(Pem.encodePrivateKey(next.getPrivate()))))
                .isEqualTo(next.getPublic());
    }
}
