package com.xentracker.collector.enrollment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.pki.ServerIdentity;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.ErrorCode;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * A real HTTPS server on a random loopback port that enrolls devices and takes their batches by the server's rules
 * that matter to re-enrollment, no more: a token enrolls once; a key that ever enrolled never enrolls again
 * ({@code device-key-reused}); a revoked device's uploads are refused ({@code device-revoked}); a batch must open with
 * the organization's key and verify with exactly the key its device enrolled with, bound to the URL's device and
 * sequence; (device, sequence) is stored once. Fresh CA and organization key per test.
 */
public final class EnrollingServerExtension implements BeforeEachCallback, AfterEachCallback {

    /** A batch the server stored, with the device it came from. */
    public record Stored(UUID deviceId, SpanBatch batch) {}

    private final Clock clock = Clock.systemUTC();
    private final CertificateAuthority ca = CertificateAuthority.generate("Test CA", clock);
    private final UUID organizationId = UUID.randomUUID();
    private final OrganizationKey organization = OrganizationKey.generate("Acme", clock);
    private final WireCodec codec = WireCodec.create();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Set<String> keysEverEnrolled = ConcurrentHashMap.newKeySet();
    private final Map<UUID, PublicKey> devices = new ConcurrentHashMap<>();
    private final Set<UUID> revoked = ConcurrentHashMap.newKeySet();
    private final Set<String> storedKeys = ConcurrentHashMap.newKeySet();
    private final List<Stored> stored = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private HttpsServer server;
    private ExecutorService executor;

    public URI baseUri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public UUID organizationId() {
        return organizationId;
    }

    /** A new single-use enrollment token. */
    public String issueToken() {
        String token = "token-" + UUID.randomUUID();
        tokens.add(token);
        return token;
    }

    /** The organization revokes the device: its uploads are refused from now on. */
    public void revoke(UUID deviceId) {
        revoked.add(deviceId);
    }

    /** The devices enrolled so far. */
    public Set<UUID> devices() {
        return Set.copyOf(devices.keySet());
    }

    /** Every batch stored (not repeats), in the order it was stored. */
    public List<Stored> stored() {
        return List.copyOf(stored);
    }

    /** The error codes of refused uploads, in order. */
    public List<String> refusals() {
        return List.copyOf(refusals);
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
        server.createContext("/api/v1/enroll", exchange -> {
            try (exchange) {
                enroll(exchange);
            }
        });
        server.createContext("/api/v1/devices/", exchange -> {
            try (exchange) {
                upload(exchange);
            }
        });
        server.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
        executor.shutdownNow();
    }

    private void enroll(HttpExchange exchange) throws IOException {
        EnrollmentRequest request = codec.decode(exchange.getRequestBody().readAllBytes(), EnrollmentRequest.class);
        if (!tokens.remove(request.token())) {
            refuse(exchange, ErrorCode.ENROLLMENT_TOKEN_UNKNOWN);
            return;
        }
        if (!keysEverEnrolled.add(request.devicePublicKeyPem().strip())) {
            refuse(exchange, ErrorCode.DEVICE_KEY_REUSED);
            return;
        }
        UUID deviceId = UUID.randomUUID();
        devices.put(deviceId, Pem.publicKey(request.devicePublicKeyPem()));
        respond(exchange, 200, codec.encode(new EnrollmentResponse(deviceId, organizationId, "Acme",
                Pem.encode(organization.certificate()), CollectionPolicy.defaults())));
    }

    private void upload(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", api, v1, devices, {id}, batches, {seq}
        UUID deviceId = UUID.fromString(path[4]);
        long sequence = Long.parseLong(path[6]);
        byte[] sealed = exchange.getRequestBody().readAllBytes();
        PublicKey key = devices.get(deviceId);
        if (key == null) {
            refuse(exchange, ErrorCode.DEVICE_UNKNOWN);
            return;
        }
        if (revoked.contains(deviceId)) {
            refuse(exchange, ErrorCode.DEVICE_REVOKED);
            return;
        }
        SpanBatch batch;
        try {
            batch = codec.decode(BatchOpener.create(organization.privateKey(), organization.certificate())
                    .open(sealed, key, organizationId, deviceId, sequence).payload(), SpanBatch.class);
        } catch (TransportException e) {
            refuse(exchange, ErrorCode.BAD_SIGNATURE);
            return;
        }
        boolean duplicate = !storedKeys.add(deviceId + "/" + sequence);
        if (!duplicate) {
            stored.add(new Stored(deviceId, batch));
        }
        respond(exchange, 200, codec.encode(new UploadReceipt(deviceId, sequence, batch.spans().size(), duplicate,
                CollectionPolicy.defaults())));
    }

    private void refuse(HttpExchange exchange, ErrorCode code) throws IOException {
        refusals.add(code.code());
        respond(exchange, code.status(), codec.encode(new ErrorBody(code.code(), "as the test server says")));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
