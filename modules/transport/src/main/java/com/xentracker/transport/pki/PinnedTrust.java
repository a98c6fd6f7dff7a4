package com.xentracker.transport.pki;

import com.xentracker.transport.InvalidKeyMaterialException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS client contexts that trust exactly one CA — the organization's own — and nothing else.
 *
 * <p>Why pin the CA and not the system roots: agents talk to exactly one server, whose certificate the organization
 * issues itself. Trusting the ~150 public roots (and whatever a user or malware adds to the OS store, or a TLS
 * inspection proxy's root) would let any of them impersonate the server and receive device keys and activity data.
 *
 * <p>Why pin the CA and not the server's certificate or key: the server certificate can then be renewed, re-keyed or
 * re-issued for a new host name without re-deploying every agent. Host names are still checked: the returned
 * context turns on HTTPS endpoint identification by default, so a certificate the CA issued for another host does
 * not pass.
 *
 * <p>Only TLS 1.3 and 1.2 are enabled on every engine and socket the context creates.
 */
public final class PinnedTrust {

    private PinnedTrust() {}

    /** A client context whose only trust anchor is {@code ca}, which must be a CA certificate. */
    public static SSLContext trusting(X509Certificate ca) {
        Objects.requireNonNull(ca, "ca");
        if (ca.getBasicConstraints() < 0) {
            throw new InvalidKeyMaterialException(
                    "the pinned certificate is not a CA certificate: " + ca.getSubjectX500Principal());
        }
        try {
            // re-read through the JDK's factory so JSSE's PKIX validation works on its native certificate type
            X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(ca.getEncoded()));
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            trustStore.setCertificateEntry("xentracker-ca", anchor);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(trustStore); // this store, not the JDK's cacerts
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return new RestrictedSslContext(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }
}
