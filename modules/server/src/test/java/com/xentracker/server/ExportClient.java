package com.xentracker.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A script's HTTPS client for the export API: sends a bearer token, keeps the body's bytes exactly as received. */
final class ExportClient {

    /** One answer: status, content type and body as received. */
    record Answer(int status, String contentType, byte[] body, Optional<String> disposition,
            Optional<String> authenticate) {
    }

    private final URI base;
    private final SSLContext tls;

    private ExportClient(URI base, SSLContext tls) {
        this.base = base;
        this.tls = tls;
    }

    static ExportClient of(ServerFixture server) {
        try {
            X509Certificate ca = server.server().certificateAuthority();
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("xentracker-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return new ExportClient(server.server().baseUri(), tls);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET with {@code Authorization: <authorization>} when given. */
    Answer get(String path, Optional<String> authorization) {
        try {
            HttpsURLConnection connection = open(path, authorization);
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            return new Answer(status, connection.getContentType(), bytes,
                    Optional.ofNullable(connection.getHeaderField("Content-Disposition")),
                    Optional.ofNullable(connection.getHeaderField("WWW-Authenticate")));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    /** GET with a bearer token. */
    Answer get(String path, String token) {
        return get(path, Optional.of("Bearer " + token));
    }

    /** Reads {@code bytes} of the body, then drops the connection, as a client that gave up would. */
    void readPartAndHangUp(String path, String token, int bytes) {
        try {
            HttpsURLConnection connection = open(path, Optional.of("Bearer " + token));
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + connection.getResponseCode());
            }
            InputStream in = connection.getInputStream();
            in.readNBytes(bytes);
            connection.disconnect();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }

    private HttpsURLConnection open(String path, Optional<String> authorization) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) base.resolve(path).toURL().openConnection();
        connection.setSSLSocketFactory(tls.getSocketFactory());
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(60_000);
        authorization.ifPresent(value -> connection.setRequestProperty("Authorization", value));
        return connection;
    }
}
