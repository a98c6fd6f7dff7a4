package com.xentracker.collector.upload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.ServerIdentity;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTPS server on a random loopback port that does what the Xentracker server does with a batch, no more:
 * opens the sealed batch with the organization's key, checks the device's signature, decodes it, keeps it, and
 * answers with a receipt carrying the organization's policy (or with an error status when told to). Its CA,
 * organization key and device key are fresh per test.
 */
final class ReceivingServerExtension implements BeforeEachCallback, AfterEachCallback {

    private final Clock clock = Clock.systemUTC();
    private final CertificateAuthority ca = CertificateAuthority.generate("Test CA", clock);
    private final OrganizationKey organization = OrganizationKey.generate("Acme", clock);
    private final KeyPair device = DeviceKeys.generate();
    private final WireCodec codec = WireCodec.create();
    private final List<SpanBatch> received = new CopyOnWriteArrayList<>();
    private final Set<Long> stored = ConcurrentHashMap.newKeySet();
    private volatile CollectionPolicy policy = CollectionPolicy.defaults();
    private volatile int failWith;
    private HttpsServer server;
    private ExecutorService executor;

    URI baseUri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    CertificateAuthority ca() {
        return ca;
    }

    /** Seals as the enrolled device does. */
    BatchSealer sealer() {
        return BatchSealer.create(device.getPrivate(), organization.certificate());
    }

    /** Every batch opened and decoded, in the order they arrived (retries included). */
    List<SpanBatch> received() {
        return List.copyOf(received);
    }

    /** The policy the receipts carry from now on. */
    void policy(CollectionPolicy policy) {
        this.policy = policy;
    }

    /** Answer every upload with this HTTP status (0: accept again). */
    void failWith(int status) {
        this.failWith = status;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, GeneralSecurityException {
        ServerIdentity identity = ca.issueServerCertificate(List.of("localhost"), List.of("127.0.0.1"), clock);
        char[] password = "test-only".toCharArray();
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity.toKeyStore("server", password), password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/api/v1/devices/", exchange -> {
            try (exchange) {
                receive(exchange);
            }
        });
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
        executor.shutdownNow();
    }

    private void receive(HttpExchange exchange) throws IOException {
        if (failWith != 0) {
            byte[] body = "{\"code\":\"unavailable\",\"message\":\"try later\"}".getBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failWith, body.length);
            exchange.getResponseBody().write(body);
            return;
        }
        byte[] sealed = exchange.getRequestBody().readAllBytes();
        SpanBatch batch = codec.decode(BatchOpener.create(organization.privateKey()).open(sealed, device.getPublic()),
                SpanBatch.class);
        received.add(batch);
        boolean duplicate = !stored.add(batch.sequence());
        byte[] receipt = codec.encode(new UploadReceipt(batch.deviceId(), batch.sequence(), batch.spans().size(),
                duplicate, policy));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, receipt.length);
        exchange.getResponseBody().write(receipt);
    }
}
