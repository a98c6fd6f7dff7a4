package com.xentracker.transport.wire;

import java.util.Objects;
import java.util.UUID;

/**
 * Agent to server: replace this device's signing key. Both signatures are Ed25519 over the same statement (see
 * {@code pki.KeyRotationProof}): the old key proves the request comes from the enrolled device, the new one that the
 * device holds the key it asks for (nobody can register someone else's public key as theirs).
 *
 * @param signatureByOldKey base64
 * @param signatureByNewKey base64
 */
public record DeviceKeyRotation(UUID deviceId, String newPublicKeyPem, String signatureByOldKey,
        String signatureByNewKey) {

    public DeviceKeyRotation {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(newPublicKeyPem, "newPublicKeyPem");
        Objects.requireNonNull(signatureByOldKey, "signatureByOldKey");
        Objects.requireNonNull(signatureByNewKey, "signatureByNewKey");
    }
}
