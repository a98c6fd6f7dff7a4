package com.xentracker.transport.internal;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The JCA provider this module hands to Bouncy Castle's CMS builders: the JDK's own implementations (SunJCE: AES key
 * wrap; SUN: digests; SunEC: EC P-256, ECDSA and Ed25519), and from Bouncy Castle only what the JDK lacks or does
 * differently: the key agreement ECDH with the X9.63 KDF over SHA-256 that CMS specifies
 * ({@code dhSinglePass-stdDH-sha256kdf-scheme}), the AES-256 content key, and AES-GCM that accepts the
 * authenticated attributes after the content, as CMS's AuthEnvelopedData feeds them ({@link GcmCipher}, on Bouncy
 * Castle's GCM engine).
 *
 * <p>Why not {@code new BouncyCastleProvider()}: it registers about 5,000 algorithm names and loads about 1,000
 * classes to do so, ≈ 18 MiB of resident memory in an agent that must run in 64 MiB all day (collector README,
 * "Footprint"). Why not Bouncy Castle's own implementations of the other algorithms: its Ed25519 signature and its
 * AES key wrap build that full provider anyway (through {@code BCJcaJceHelper}). The wire format is unchanged:
 * the same algorithms in the same CMS structures, and keys stored by earlier versions load (the JDK reads Bouncy
 * Castle's PKCS#8 encodings).
 *
 * <p>Bouncy Castle's CMS code asks for some algorithms by OID where the JDK knows them by name only (EC keys, the
 * wrapping key's generator); those are looked up under the JDK's name.
 */
final class EnvelopeAlgorithms extends Provider {

    private static final String GCM_256 = "2.16.840.1.101.3.4.1.46";
    private static final String WRAP_256 = "2.16.840.1.101.3.4.1.45";
    private static final String EC_KEY = "1.2.840.10045.2.1";
    private static final Map<String, String> JDK_NAMES = Map.of(
            "KeyFactory." + EC_KEY, "EC", "KeyPairGenerator." + EC_KEY, "EC",
            "KeyGenerator." + WRAP_256, "AES");
    private static final String AES = "org.bouncycastle.jcajce.provider.symmetric.AES$";
    private static final String ELLIPTIC_CURVES_CLASS = "sun.security.ec.SunEC";

    private final transient List<Provider> jdk;

    private EnvelopeAlgorithms(List<Provider> jdk) {
        super("Xentracker", "1.0", "The JDK's algorithms, and Bouncy Castle's ECDH with the SHA-256 KDF");
        this.jdk = List.copyOf(jdk);
        add("KeyAgreement", "ECDHWITHSHA256KDF",
                "org.bouncycastle.jcajce.provider.asymmetric.ec.KeyAgreementSpi$DHwithSHA256KDFAndSharedInfo",
                "1.3.132.1.11.1", "ECCDHWITHSHA256KDF");
        // AES-GCM as CMS uses it, the authenticated attributes (AAD) after the content, which the JDK's cipher
        // refuses ("Update has been called; no more AAD data"): Bouncy Castle's GCM engine in a cipher of our own
        putService(new Service(this, "Cipher", "GCM", GcmCipher.class.getName(), List.of(GCM_256, "AES/GCM/NoPadding"),
                Map.of()) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new GcmCipher();
            }
        });
        add("AlgorithmParameters", "GCM", AES + "AlgParamsGCM", GCM_256);
        // the content key for the AES-256-GCM OID: 256 bits (the JDK's "AES" generator would make 128 by default)
        add("KeyGenerator", GCM_256, AES + "KeyGen256");
    }

    /**
     * SunJCE and SUN from {@code java.base}, SunEC found by its type among the platform's modules: looking it up by
     * name ({@code Security.getProvider("SunEC")}) can make the JDK instantiate every provider service on the module
     * path, Bouncy Castle's full provider among them.
     */
    static EnvelopeAlgorithms create() {
        Provider ellipticCurves = ServiceLoader.load(Provider.class, ClassLoader.getPlatformClassLoader()).stream()
                .filter(provider -> provider.type().getName().equals(ELLIPTIC_CURVES_CLASS)).findFirst()
                .map(ServiceLoader.Provider::get)
                .orElseThrow(() -> new IllegalStateException("the JDK's module jdk.crypto.ec is missing"));
        return new EnvelopeAlgorithms(Stream.of(Security.getProvider("SunJCE"), Security.getProvider("SUN"),
                ellipticCurves).map(Objects::requireNonNull).toList());
    }

    private void add(String type, String algorithm, String className, String... aliases) {
        putService(new Service(this, type, algorithm, className, List.of(aliases), Map.of()));
    }

    /** Ours (the key agreement, AES-GCM), else the first JDK provider's, under the JDK's name where it differs. */
    @Override
    public Service getService(String type, String algorithm) {
        Service own = super.getService(type, algorithm);
        if (own != null) {
            return own;
        }
        String name = JDK_NAMES.getOrDefault(type + "." + algorithm, algorithm);
        for (Provider provider : jdk) {
            Service service = provider.getService(type, name);
            if (service != null) {
                return service;
            }
        }
        return null;
    }

    /** The providers whose implementations serve the rest, for tests. */
    List<Provider> jdkProviders() {
        return jdk;
    }
}
