package com.xentracker.transport.pki;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.internal.Crypto;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The device's Ed25519 signing key pair. It is generated on the device and the private key never leaves it; only
 * the public key is sent at enrollment, so the server can tell the device's batches from anyone else's.
 */
public final class DeviceKeys {

    private DeviceKeys() {}

    /** The public half of an Ed25519 private key (a function of its 32-byte seed, RFC 8032 §5.1.5). */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
            if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
                throw new InvalidKeyMaterialException("not an Ed25519 private key");
            }
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            byte[] publicKey = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
            return KeyFactory.getInstance("Ed25519", Crypto.PROVIDER).generatePublic(new X509EncodedKeySpec(
                    new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), publicKey)
                            .getEncoded()));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof InvalidKeyMaterialException own) {
                throw own;
            }
            throw new InvalidKeyMaterialException("not a usable Ed25519 private key", e);
        }
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519", Crypto.PROVIDER).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle lacks Ed25519", e);
        }
    }
}
