package com.xentracker.transport.pki;

import com.xentracker.transport.internal.Crypto;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Shared certificate plumbing for the pki records. */
final class Certificates {

    /**
     * Certificates start an hour in the past: a device whose clock runs a little behind the issuer's would
     * otherwise reject a fresh certificate as "not yet valid".
     */
    static final Duration BACKDATE = Duration.ofHours(1);

    private Certificates() {}

    /** A fresh EC P-256 key pair. */
    static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Crypto.PROVIDER);
            generator.initialize(new ECGenParameterSpec("secp256r1"), Crypto.random());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle lacks EC P-256", e);
        }
    }

    static X500Name name(String commonName, String organization) {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a non-blank common name");
        }
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName);
        if (organization != null) {
            builder.addRDN(BCStyle.O, organization);
        }
        return builder.build();
    }

    /** Positive, at most 20 octets (RFC 5280 §4.1.2.2), unpredictable. */
    static BigInteger serial() {
        return new BigInteger(159, Crypto.random()).add(BigInteger.ONE);
    }

    static Instant notBefore(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
    }

    /** {@code years} calendar years after now (UTC), never after {@code cap} when given. */
    static Instant notAfter(Clock clock, int years, Instant cap) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)
                .plus(Period.ofYears(years)).toInstant();
        return cap != null && end.isAfter(cap) ? cap : end;
    }

    static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant notBefore, Instant notAfter,
            PublicKey subjectKey) {
        return new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(notBefore), Date.from(notAfter), subject,
                subjectKey);
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 (for key identifiers) is unavailable", e);
        }
    }

    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.PROVIDER).build(issuerKey);
            // the JDK's certificate object, as Pem.certificate makes it (Bouncy Castle's needs the full provider)
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign a certificate", e);
        }
    }

    /** Builder extension calls declare a checked exception that cannot happen for in-memory DER. */
    interface ExtensionStep {
        void apply() throws CertIOException;
    }

    static void extensions(ExtensionStep step) {
        try {
            step.apply();
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode a certificate extension", e);
        }
    }
}
