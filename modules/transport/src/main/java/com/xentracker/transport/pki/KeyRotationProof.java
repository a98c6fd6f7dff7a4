package com.xentracker.transport.pki;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.internal.Crypto;
import com.xentracker.transport.wire.DeviceKeyRotation;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * Proof of possession for a device key rotation: the old and the new key each sign
 * {@code "xentracker device key rotation\n" + deviceId + "\n" + newPublicKeyPem}. The statement names the device and
 * the new key, so a proof cannot be reused for another device or another key; replaying it only repeats the same
 * change (the server treats that as done).
 */
public final class KeyRotationProof {

    private static final String CONTEXT = "xentracker device key rotation\n";

    private KeyRotationProof() {}

    /** The rotation request, signed with both keys. */
    public static DeviceKeyRotation create(UUID deviceId, PrivateKey oldKey, KeyPair newKey) {
        Objects.requireNonNull(deviceId, "deviceId");
        String pem = Pem.encodePublicKey(newKey.getPublic());
        byte[] statement = statement(deviceId, pem);
        return new DeviceKeyRotation(deviceId, pem, sign(oldKey, statement), sign(newKey.getPrivate(), statement));
    }

    /**
     * @param currentKey the key the server has enrolled for this device
     * @return whether both signatures are valid for this device, the new key and {@code currentKey}
     */
    public static boolean verify(DeviceKeyRotation rotation, PublicKey currentKey) {
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(currentKey, "currentKey");
        PublicKey newKey = Pem.publicKey(rotation.newPublicKeyPem());
        byte[] statement = statement(rotation.deviceId(), rotation.newPublicKeyPem());
        return verify(currentKey, statement, rotation.signatureByOldKey())
                && verify(newKey, statement, rotation.signatureByNewKey());
    }

    /** Whether the new key's signature is valid (a repeated rotation, when the new key is already enrolled). */
    public static boolean verifyNewKey(DeviceKeyRotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        return verify(Pem.publicKey(rotation.newPublicKeyPem()),
                statement(rotation.deviceId(), rotation.newPublicKeyPem()), rotation.signatureByNewKey());
    }

    private static byte[] statement(UUID deviceId, String newPublicKeyPem) {
        return (CONTEXT + deviceId + "\n" + newPublicKeyPem).getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(PrivateKey key, byte[] statement) {
        try {
            Signature signature = Signature.getInstance("Ed25519", Crypto.PROVIDER);
            signature.initSign(key);
            signature.update(statement);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyMaterialException("cannot sign with the device key (not Ed25519?)", e);
        }
    }

    private static boolean verify(PublicKey key, byte[] statement, String signatureBase64) {
        try {
            Signature signature = Signature.getInstance("Ed25519", Crypto.PROVIDER);
            signature.initVerify(key);
            signature.update(statement);
            return signature.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a malformed signature or a key of another kind is no proof
        }
    }
}
