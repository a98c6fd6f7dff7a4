package com.xentracker.transport.internal;

import java.security.Provider;
import java.util.List;
import java.util.Map;

/**
 * A JCA provider with Bouncy Castle's implementations of exactly the algorithms this module uses, and nothing else.
 *
 * <p>Why: {@code new BouncyCastleProvider()} registers about 5,000 algorithm names and loads about 1,000 classes
 * (its {@code Mappings}) to do so: ≈ 18 MiB of resident memory in the agent, which must run in 64 MiB all day on
 * every laptop (collector README, "Footprint"). Here each service names its Bouncy Castle implementation class, which
 * the JCA loads only when it is first used. The implementations are Bouncy Castle's own, so sealed batches are
 * byte-for-byte the same kind of CMS structure the full provider made, and the server opens both.
 *
 * <p>Certificates are not parsed here: Bouncy Castle's certificate objects find their public key through tables only
 * the full provider fills, so X.509 parsing stays with the JDK ({@code CertificateFactory.getInstance("X.509")}),
 * whose certificates Bouncy Castle's builders accept.
 *
 * <p>A new algorithm in the envelope or the key material must be added here; {@code BouncyCastleSubsetTest} fails
 * for any algorithm the module asks for that this provider lacks.
 */
final class BouncyCastleSubset extends Provider {

    private static final String EC = "org.bouncycastle.jcajce.provider.asymmetric.ec.";
    private static final String EDEC = "org.bouncycastle.jcajce.provider.asymmetric.edec.";
    private static final String AES = "org.bouncycastle.jcajce.provider.symmetric.AES$";
    private static final String SHA256 = "org.bouncycastle.jcajce.provider.digest.SHA256$";
    private static final String SHA512 = "org.bouncycastle.jcajce.provider.digest.SHA512$";

    BouncyCastleSubset() {
        super("XentrackerBC", "1.87", "Bouncy Castle, only the algorithms Xentracker's sealed batches and keys use");
        // EC P-256: the organization's key, the certificate authority, the ephemeral key of every batch
        add("KeyPairGenerator", "EC", EC + "KeyPairGeneratorSpi$EC", "1.2.840.10045.2.1");
        add("KeyFactory", "EC", EC + "KeyFactorySpi$EC", "1.2.840.10045.2.1");
        add("Signature", "SHA256withECDSA", EC + "SignatureSpi$ecDSA256", "1.2.840.10045.4.3.2");
        // ephemeral-static ECDH with the X9.63 KDF over SHA-256 (CMS dhSinglePass-stdDH-sha256kdf-scheme)
        add("KeyAgreement", "ECDHWITHSHA256KDF", EC + "KeyAgreementSpi$DHwithSHA256KDFAndSharedInfo",
                "1.3.132.1.11.1", "ECCDHWITHSHA256KDF");
        // Ed25519: the device's signing key
        add("KeyPairGenerator", "Ed25519", EDEC + "KeyPairGeneratorSpi$Ed25519", "1.3.101.112");
        add("KeyFactory", "Ed25519", EDEC + "KeyFactorySpi$Ed25519", "1.3.101.112");
        add("Signature", "Ed25519", EDEC + "SignatureSpi$Ed25519", "1.3.101.112");
        // AES-256-GCM content encryption and AES-256 key wrap
        add("Cipher", "GCM", AES + "GCM", "2.16.840.1.101.3.4.1.46", "AES/GCM/NoPadding", "2.16.840.1.101.3.4.1.6",
                "2.16.840.1.101.3.4.1.26");
        add("AlgorithmParameters", "GCM", AES + "AlgParamsGCM", "2.16.840.1.101.3.4.1.46", "2.16.840.1.101.3.4.1.6",
                "2.16.840.1.101.3.4.1.26");
        add("KeyGenerator", "AES", AES + "KeyGen");
        add("KeyGenerator", "2.16.840.1.101.3.4.1.46", AES + "KeyGen256");
        add("KeyGenerator", "2.16.840.1.101.3.4.1.45", AES + "KeyGen256");
        add("Cipher", "AESWRAP", AES + "Wrap", "2.16.840.1.101.3.4.1.45", "AESKW");
        // the signer info's digest of the signed content: SHA-512 with Ed25519 (RFC 8419), SHA-256 for the rest
        add("MessageDigest", "SHA-512", SHA512 + "Digest", "2.16.840.1.101.3.4.2.3", "SHA512");
        add("MessageDigest", "SHA-256", SHA256 + "Digest", "2.16.840.1.101.3.4.2.1", "SHA256");
    }

    private void add(String type, String algorithm, String className, String... aliases) {
        putService(new Service(this, type, algorithm, className, List.of(aliases), Map.of()));
    }
}
