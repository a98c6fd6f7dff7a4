package com.xentracker.transport.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX500NameUtil;
import org.bouncycastle.util.IPAddress;

/**
 * The organization's private TLS certificate authority. Agents pin its certificate (see {@link PinnedTrust}); it
 * issues the server's TLS certificate, so the server's certificate can be renewed or re-issued for a new host name
 * without touching any agent.
 */
public record CertificateAuthority(PrivateKey privateKey, X509Certificate certificate) {

    private static final Pattern DNS_NAME = Pattern.compile(
            "(?i)(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public CertificateAuthority {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * A new EC P-256 CA with a self-signed certificate valid for 10 years. {@code pathLen 0}: it may issue server
     * certificates but no intermediate CAs, so a leaked server key can never be used to mint further certificates.
     */
    public static CertificateAuthority generate(String commonName, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        KeyPair pair = Certificates.p256();
        X500Name name = Certificates.name(commonName, null);
        X509v3CertificateBuilder builder = Certificates.builder(name, name, Certificates.notBefore(clock),
                Certificates.notAfter(clock, 10, null), pair.getPublic());
        var utils = Certificates.extensionUtils();
        Certificates.extensions(() -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(pair.getPublic()));
        });
        return new CertificateAuthority(pair.getPrivate(), Certificates.sign(builder, pair.getPrivate()));
    }

    /**
     * Issues a TLS server certificate for a new EC P-256 key, valid for 2 years (never beyond this CA's own
     * validity). At least one DNS name or IP address is required; the first becomes the subject's common name.
     *
     * @param dnsNames    host names such as {@code xentracker.example.org} (a leading {@code *.} is allowed)
     * @param ipAddresses IPv4 or IPv6 literals such as {@code 127.0.0.1}
     */
    public ServerIdentity issueServerCertificate(List<String> dnsNames, List<String> ipAddresses, Clock clock) {
        Objects.requireNonNull(dnsNames, "dnsNames");
        Objects.requireNonNull(ipAddresses, "ipAddresses");
        Objects.requireNonNull(clock, "clock");
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames) {
            if (dns == null || dns.length() > 253 || !DNS_NAME.matcher(dns).matches()) {
                throw new IllegalArgumentException("not a DNS name: " + dns);
            }
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : ipAddresses) {
            // literals only: a host name here would be resolved through DNS at issuing time
            if (ip == null || !IPAddress.isValid(ip)) {
                throw new IllegalArgumentException("not an IP address literal: " + ip);
            }
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or IP address");
        }
        String commonName = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);

        KeyPair pair = Certificates.p256();
        X509v3CertificateBuilder builder = Certificates.builder(JcaX500NameUtil.getSubject(certificate),
                Certificates.name(commonName, null), Certificates.notBefore(clock),
                Certificates.notAfter(clock, 2, certificate.getNotAfter().toInstant()), pair.getPublic());
        var utils = Certificates.extensionUtils();
        Certificates.extensions(() -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // digitalSignature is what (EC)DHE key exchange with an ECDSA certificate needs; nothing else
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            // clients match host names against the SANs only (RFC 6125), never the common name
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    utils.createAuthorityKeyIdentifier(certificate.getPublicKey()));
        });
        return new ServerIdentity(pair.getPrivate(), Certificates.sign(builder, privateKey), certificate);
    }

    @Override
    public String toString() {
        return "CertificateAuthority[certificate=" + certificate.getSubjectX500Principal() + ", privateKey=***]";
    }
}
