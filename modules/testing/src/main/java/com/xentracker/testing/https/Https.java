package com.xentracker.testing.https;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A bare HTTPS client that trusts exactly one CA (a server's own), for requests the agent's client would never send
 * and for answers a test wants to see as they are: status, headers and body, errors included.
 */
public final class Https {

    /** One answer. */
    public record Response(int status, String contentType, byte[] body, Map<String, List<String>> headers) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The first value of a response header, if sent. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey() != null && entry.getKey().equalsIgnoreCase(name))
                    .flatMap(entry -> entry.getValue().stream()).findFirst();
        }
    }

    private final URI base;
    private final SSLContext tls;

    private Https(URI base, SSLContext tls) {
        this.base = base;
        this.tls = tls;
    }

    /** A client for {@code base} that trusts {@code ca} and nothing else. */
    public static Https trusting(URI base, X509Certificate ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("xentracker-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return new Https(base, tls);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI base() {
        return base;
    }

    public Response get(String path) {
        return exchange("GET", path, null, null);
    }

    public Response post(String path, String contentType, byte[] body) {
        return exchange("POST", path, contentType, body);
    }

    private Response exchange(String method, String path, String contentType, byte[] body) {
        try {
            HttpsURLConnection connection = (HttpsURLConnection) base.resolve(path).toURL().openConnection();
            connection.setSSLSocketFactory(tls.getSocketFactory());
            connection.setRequestMethod(method);
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(30_000);
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", contentType);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer (413) and close before reading everything; the status still counts
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            return new Response(status, connection.getContentType(), bytes, connection.getHeaderFields());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /**
     * Sends {@code target} exactly as given on the request line, as a hostile client would: a path that
     * {@link java.net.URI} refuses ({@code %uFFFF}, a bare {@code %}, raw non-ASCII bytes) cannot be sent by
     * {@link #get}/{@link #post}. HTTP/1.1 over TLS with {@code Connection: close}; the answer as it came (a chunked
     * body is de-chunked).
     *
     * @param target the request target, written as ISO-8859-1 bytes (each char one byte, as on the wire)
     * @param body   {@code null} for none
     */
    public Response raw(String method, String target, Map<String, String> headers, byte[] body) {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(
                base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                // one write: the whole request is on its way before the server can refuse its first line
                java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
                request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    request.writeBytes(body);
                }
                out.write(request.toByteArray());
                out.flush();
            } catch (IOException refusedEarly) {
                // A server may answer a bad request line with 400 and close before reading the body: the client then
                // fails writing the rest, but the answer is already on its way, and it is what a client sees.
                try {
                    return RawResponse.read(socket.getInputStream());
                } catch (IOException noAnswer) {
                    refusedEarly.addSuppressed(noAnswer);
                    throw refusedEarly;
                }
            }
            return RawResponse.read(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException(method + " (raw) failed", e);
        }
    }

    /** The status of a plain-HTTP GET (to show that a TLS port does not speak it). */
    public static int plainHttpStatus(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        return connection.getResponseCode();
    }
}
