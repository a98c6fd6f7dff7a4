package com.xentracker.transport.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The organization's EC P-256 key-agreement key. Devices encrypt every batch to its certificate, so only the
 * organization's server can read them; the private key stays on the server.
 *
 * <p>The certificate is self-signed and carries only {@code keyUsage keyAgreement}: it is not a TLS certificate and
 * cannot sign anything else. Devices receive it over the pinned TLS channel at enrollment, which is what makes it
 * trustworthy — its self-signature proves nothing on its own.
 */
public record OrganizationKey(PrivateKey privateKey, X509Certificate certificate) {

    public OrganizationKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** A new key and a self-signed certificate for it, valid for 10 years from {@code clock}'s now. */
    public static OrganizationKey generate(String organizationName, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        KeyPair pair = Certificates.p256();
        X500Name name = Certificates.name(organizationName, organizationName);
        X509v3CertificateBuilder builder = Certificates.builder(name, name, Certificates.notBefore(clock),
                Certificates.notAfter(clock, 10, null), pair.getPublic());
        var utils = Certificates.extensionUtils();
        Certificates.extensions(() -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyAgreement));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(pair.getPublic()));
        });
        // keyUsage does not include keyCertSign; a self-signature is still the conventional way to carry a bare key
        return new OrganizationKey(pair.getPrivate(), Certificates.sign(builder, pair.getPrivate()));
    }

    @Override
    public String toString() {
        return "OrganizationKey[certificate=" + certificate.getSubjectX500Principal() + ", privateKey=***]";
    }
}
