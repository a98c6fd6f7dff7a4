package com.xentracker.transport.pki;

import com.xentracker.transport.InvalidKeyMaterialException;
import com.xentracker.transport.internal.Crypto;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM text (RFC 7468) for certificates and keys: {@code CERTIFICATE}, {@code PUBLIC KEY} (X.509
 * SubjectPublicKeyInfo) and {@code PRIVATE KEY} (unencrypted PKCS#8).
 *
 * <p>Parsing accepts exactly one PEM block of the expected type; anything else (no block, a second block, another
 * type, broken base64 or DER, legacy {@code EC PRIVATE KEY}) throws {@link InvalidKeyMaterialException}. Exception
 * messages never contain the input, which may be a private key.
 */
public final class Pem {

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PUBLIC_KEY = "PUBLIC KEY";
    private static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {}

    public static String encode(X509Certificate certificate) {
        Objects.requireNonNull(certificate, "certificate");
        try {
            return write(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new InvalidKeyMaterialException("certificate cannot be encoded", e);
        }
    }

    public static String encodePublicKey(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return write(PUBLIC_KEY, encoded(key, "X.509"));
    }

    /** PKCS#8, unencrypted: protect the resulting text like the key itself. */
    public static String encodePrivateKey(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        return write(PRIVATE_KEY, encoded(key, "PKCS#8"));
    }

    public static X509Certificate certificate(String pem) {
        byte[] der = read(pem, CERTIFICATE);
        try {
            // the JDK's parser: Bouncy Castle's certificate objects need the full provider to find their key
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyMaterialException("not a valid X.509 certificate", e);
        }
    }

    public static PublicKey publicKey(String pem) {
        byte[] der = read(pem, PUBLIC_KEY);
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
            return keyFactory(info.getAlgorithm().getAlgorithm().getId()).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyMaterialException("not a valid public key", e);
        }
    }

    public static PrivateKey privateKey(String pem) {
        byte[] der = read(pem, PRIVATE_KEY);
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            return keyFactory(info.getPrivateKeyAlgorithm().getAlgorithm().getId())
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyMaterialException("not a valid PKCS#8 private key", e);
        }
    }

    /** BC's key factory for the key's algorithm OID, so EC keys come back as "EC" and Ed25519 as "Ed25519". */
    private static KeyFactory keyFactory(String algorithmOid) throws NoSuchAlgorithmException {
        return KeyFactory.getInstance(algorithmOid, Crypto.PROVIDER);
    }

    private static byte[] encoded(Key key, String expectedFormat) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !expectedFormat.equals(key.getFormat())) {
            throw new InvalidKeyMaterialException(
                    "key of algorithm " + key.getAlgorithm() + " has no " + expectedFormat + " encoding");
        }
        return encoded;
    }

    private static String write(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter cannot fail", e);
        }
        return text.toString();
    }

    private static byte[] read(String pem, String expectedType) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidKeyMaterialException("no PEM text given, expected " + expectedType);
        }
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject object = reader.readPemObject();
            if (object == null) {
                throw new InvalidKeyMaterialException("no PEM block found, expected " + expectedType);
            }
            if (!expectedType.equals(object.getType())) {
                throw new InvalidKeyMaterialException(
                        "PEM block is " + object.getType() + ", expected " + expectedType);
            }
            if (reader.readPemObject() != null) {
                throw new InvalidKeyMaterialException("more than one PEM block, expected one " + expectedType);
            }
            if (object.getContent().length == 0) {
                throw new InvalidKeyMaterialException("empty PEM block, expected " + expectedType);
            }
            return object.getContent();
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidKeyMaterialException invalid) {
                throw invalid;
            }
            // BC reports broken base64 and unterminated blocks with assorted IO and runtime exceptions
            throw new InvalidKeyMaterialException("malformed PEM, expected " + expectedType, e);
        }
    }
}
