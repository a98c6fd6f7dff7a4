package com.xentracker.transport.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** The server's TLS private key and certificate, with the certificate of the CA that issued it. */
public record ServerIdentity(PrivateKey privateKey, X509Certificate certificate, X509Certificate issuer) {

    public ServerIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(issuer, "issuer");
    }

    /**
     * A PKCS#12 key store holding the private key under {@code alias} with the chain [certificate, issuer], ready
     * for a {@code KeyManagerFactory} (the same password protects the store and the key).
     */
    public KeyStore toKeyStore(String alias, char[] password) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(password, "password");
        try {
            // the JDK's PKCS12 implementation, so JSSE gets the key types it knows best
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password);
            store.setKeyEntry(alias, privateKey, password, new Certificate[] {certificate, issuer});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 key store", e);
        }
    }

    @Override
    public String toString() {
        return "ServerIdentity[certificate=" + certificate.getSubjectX500Principal() + ", issuer="
                + issuer.getSubjectX500Principal() + ", privateKey=***]";
    }
}
