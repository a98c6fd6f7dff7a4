package com.xentracker.transport.envelope;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.internal.Crypto;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Key type checks and identifiers shared by sealer and opener. */
final class KeyChecks {

    private static final int KEY_USAGE_KEY_AGREEMENT = 4;

    private KeyChecks() {}

    static KeyPair freshP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.PROVIDER);
            generator.initialize(new ECGenParameterSpec("secp256r1"), Crypto.random());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle lacks EC P-256", e);
        }
    }

    /** The organization certificate must hold an EC P-256 key usable for key agreement. */
    static void requireOrganizationCertificate(X509Certificate certificate) {
        requireP256(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()).getAlgorithm(),
                "organization certificate");
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length <= KEY_USAGE_KEY_AGREEMENT || !usage[KEY_USAGE_KEY_AGREEMENT])) {
            throw new InvalidKeyMaterialException("the organization certificate does not allow key agreement");
        }
    }

    static void requireOrganizationPrivateKey(PrivateKey key) {
        requireP256(privateKeyInfo(key, "organization key").getPrivateKeyAlgorithm(), "organization key");
    }

    /** The subject key identifier (RFC 5280 method 1) by which a device's signer info names its key. */
    static byte[] identifierOfDeviceKey(PrivateKey deviceKey) {
        PrivateKeyInfo info = privateKeyInfo(deviceKey, "device signing key");
        requireEd25519(info.getPrivateKeyAlgorithm().getAlgorithm(), "device signing key");
        try {
            // the Ed25519 public key is a function of the 32-byte private seed (RFC 8032 §5.1.5)
            byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            byte[] publicKey = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
            return identifierOf(new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    publicKey));
        } catch (IOException | RuntimeException e) {
            throw new InvalidKeyMaterialException("not a usable Ed25519 private key", e);
        }
    }

    static byte[] identifierOf(PublicKey deviceKey) {
        if (deviceKey.getEncoded() == null || !"X.509".equals(deviceKey.getFormat())) {
            throw new InvalidKeyMaterialException("the device public key has no X.509 encoding");
        }
        return identifierOf(SubjectPublicKeyInfo.getInstance(deviceKey.getEncoded()));
    }

    private static byte[] identifierOf(SubjectPublicKeyInfo info) {
        requireEd25519(info.getAlgorithm().getAlgorithm(), "device public key");
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(info).getKeyIdentifier();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 (for key identifiers) is unavailable", e);
        }
    }

    private static PrivateKeyInfo privateKeyInfo(PrivateKey key, String what) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            throw new InvalidKeyMaterialException("the " + what + " has no PKCS#8 encoding");
        }
        try {
            return PrivateKeyInfo.getInstance(encoded);
        } catch (RuntimeException e) {
            throw new InvalidKeyMaterialException("the " + what + " is not valid PKCS#8", e);
        }
    }

    private static void requireEd25519(ASN1ObjectIdentifier algorithm, String what) {
        if (!EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            throw new InvalidKeyMaterialException("the " + what + " is not an Ed25519 key");
        }
    }

    private static void requireP256(AlgorithmIdentifier algorithm, String what) {
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                || !SECObjectIdentifiers.secp256r1.equals(algorithm.getParameters())) {
            throw new InvalidKeyMaterialException("the " + what + " is not an EC P-256 key");
        }
    }
}
