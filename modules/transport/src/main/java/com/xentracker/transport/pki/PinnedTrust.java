package com.xentracker.transport.pki;

import com.xentracker.transport.InvalidKeyMaterialException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

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
        return trusting(ca, false);
    }

    /**
     * A client context that trusts {@code ca} and, with {@code alsoSystemStore}, the JDK's default certificate
     * authorities too (its {@code cacerts}, on Debian the system's), for a server behind a publicly trusted load
     * balancer. Only when the organization configures it: every extra authority is one more that could be made to
     * sign for the server's name.
     */
    public static SSLContext trusting(X509Certificate ca, boolean alsoSystemStore) {
        Objects.requireNonNull(ca, "ca");
        if (ca.getBasicConstraints() < 0) {
            throw new InvalidKeyMaterialException(
                    "the pinned certificate is not a CA certificate: " + ca.getSubjectX500Principal());
        }
        try {
            // re-read through the JDK's factory so JSSE's PKIX validation works on its native certificate type
            X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(ca.getEncoded()));
            KeyStore trustStore = anchors(anchor, alsoSystemStore);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(trustStore); // this store (with cacerts' authorities copied in only when asked), not cacerts
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return new RestrictedSslContext(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /** The pinned CA, and the JDK's default authorities when asked. */
    static KeyStore anchors(X509Certificate pinned, boolean alsoSystemStore)
            throws GeneralSecurityException, IOException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("xentracker-ca", pinned);
        if (alsoSystemStore) {
            int i = 0;
            for (X509Certificate system : systemAuthorities()) {
                trustStore.setCertificateEntry("system-" + i++, system);
            }
        }
        return trustStore;
    }

    /** The JDK's default trust anchors. */
    static List<X509Certificate> systemAuthorities() throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null); // null: the JDK's default store
        List<X509Certificate> anchors = new ArrayList<>();
        for (TrustManager manager : system.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                anchors.addAll(Arrays.asList(x509.getAcceptedIssuers()));
            }
        }
        return anchors;
    }
}
