package com.xentracker.transport.pki;

import com.xentracker.transport.internal.Crypto;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/**
 * The device's Ed25519 signing key pair. It is generated on the device and the private key never leaves it; only
 * the public key is sent at enrollment, so the server can tell the device's batches from anyone else's.
 */
public final class DeviceKeys {

    private DeviceKeys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", Crypto.PROVIDER).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle lacks Ed25519", e);
        }
    }
}
