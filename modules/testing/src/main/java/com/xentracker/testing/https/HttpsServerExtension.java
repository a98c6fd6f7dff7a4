package com.xentracker.testing.https;

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
 * A real HTTPS server (the JDK's) on a random loopback port for each test, with a certificate from its own CA.
 * Tests add routes with {@link #route}; {@link #requests()} counts the requests that reached a handler (that is,
 * passed the TLS handshake). Register it as {@code @RegisterExtension final HttpsServerExtension https =
 * HttpsServerExtension.create();}, or {@link #start()} and {@link #close()} it by hand.
 *
 * <p>The CA and the certificate are issued by the real clock, whatever clock the code under test gets: TLS checks
 * them against the real time of this machine.
 */
public final class HttpsServerExtension implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    private final CertificateAuthority ca;
    private final List<String> dnsNames;
    private final List<String> ipAddresses;
    private final AtomicInteger requests = new AtomicInteger();
    private HttpsServer server;
    private ExecutorService executor;

    private HttpsServerExtension(CertificateAuthority ca, List<String> dnsNames, List<String> ipAddresses) {
        this.ca = ca;
        this.dnsNames = List.copyOf(dnsNames);
        this.ipAddresses = List.copyOf(ipAddresses);
    }

    /** A server for {@code 127.0.0.1} and {@code localhost} whose certificate comes from a fresh CA. */
    public static HttpsServerExtension create() {
        return create(CertificateAuthority.generate("Test CA", Clock.systemUTC()), List.of("localhost"),
                List.of("127.0.0.1"));
    }

    /** A server whose certificate {@code ca} issues for these names and addresses. */
    public static HttpsServerExtension create(CertificateAuthority ca, List<String> dnsNames,
            List<String> ipAddresses) {
        return new HttpsServerExtension(ca, dnsNames, ipAddresses);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** {@code https://127.0.0.1:<port>}; only while it runs. */
    public URI baseUri() {
        if (server == null) {
            throw new IllegalStateException("the HTTPS server is not running");
        }
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many requests reached a handler. */
    public int requests() {
        return requests.get();
    }

    /** Serves {@code path} (and everything under it) with {@code handler}; the exchange is closed afterwards. */
    public void route(String path, HttpHandler handler) {
        if (server == null) {
            throw new IllegalStateException("routes are added while the server runs (in the test or a beforeEach)");
        }
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    /** Sends a complete answer. */
    public static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    /** The whole request body. */
    public static byte[] readBody(HttpExchange exchange) {
        try {
            return exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts listening, with a new server certificate. */
    public void start() throws IOException, GeneralSecurityException {
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

    /** Stops at once (requests in flight are cut). Idempotent. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, GeneralSecurityException {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
