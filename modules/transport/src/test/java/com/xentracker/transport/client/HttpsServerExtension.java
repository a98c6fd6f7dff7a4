package com.xentracker.transport.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.ServerIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTPS server on a random loopback port for each test, with a certificate from its own CA for
 * {@code 127.0.0.1} and {@code localhost}. Tests add routes with {@link #route}; {@link #requests()} counts the
 * requests that reached a handler (i.e. passed the TLS handshake).
 *
 * <p>The other modules' tests use the same server from the testing module ({@code
 * com.xentracker.testing.https.HttpsServerExtension}); this module's tests cannot: the testing module depends on
 * transport (it seals batches), so Maven would see a cycle.
 */
final class HttpsServerExtension implements BeforeEachCallback, AfterEachCallback {

    private final CertificateAuthority ca;
    private final List<String> dnsNames;
    private final List<String> ipAddresses;
    private final AtomicInteger requests = new AtomicInteger();
    private HttpsServer server;
    private ExecutorService executor;

    /** A server for 127.0.0.1 and localhost whose certificate comes from a fresh CA. */
    HttpsServerExtension() {
        this(CertificateAuthority.generate("Test CA", Clock.systemUTC()), List.of("localhost"), List.of("127.0.0.1"));
    }

    HttpsServerExtension(CertificateAuthority ca, List<String> dnsNames, List<String> ipAddresses) {
        this.ca = ca;
        this.dnsNames = dnsNames;
        this.ipAddresses = ipAddresses;
    }

    CertificateAuthority ca() {
        return ca;
    }

    URI baseUri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
        return requests.get();
    }

    void route(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, GeneralSecurityException {
        // the TLS check happens now, in real time, so the certificate is issued with the real clock
        ServerIdentity identity = ca.issueServerCertificate(dnsNames, ipAddresses, Clock.systemUTC());
        char[] password = "test-only".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity.toKeyStore("server", password), password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
        executor.shutdownNow();
    }

    static byte[] readBody(HttpExchange exchange) {
        try {
            return exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
