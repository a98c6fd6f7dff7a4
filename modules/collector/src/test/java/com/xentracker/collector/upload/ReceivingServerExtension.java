package com.xentracker.collector.upload;

import com.sun.net.httpserver.HttpExchange;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.testing.https.HttpsServerExtension;
import com.xentracker.transport.UnableToOpenBatchException;
import com.xentracker.transport.envelope.BatchOpener;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.CertificateAuthority;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.OrganizationKey;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.ErrorBody;
import com.xentracker.transport.wire.OrganizationCertificate;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTPS server (the shared {@link HttpsServerExtension}) that does what the Xentracker server does with a
 * batch, no more: opens the sealed batch with the organization's key, checks the device's signature, decodes it,
 * keeps it, and answers with a receipt carrying the organization's policy (or with an error status when told to).
 * Its CA, organization key and device key are fresh per test.
 */
final class ReceivingServerExtension implements BeforeEachCallback, AfterEachCallback {

    /** Organization certificates are never checked against a time (TLS certificates are, by the real clock). */
    private static final Clock KEY_CLOCK = Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC);

    private final HttpsServerExtension https = HttpsServerExtension.create();
    private final UUID organizationId = UUID.randomUUID();
    private volatile OrganizationKey organization = OrganizationKey.generate("Acme", KEY_CLOCK);
    /** Keys the server can still open batches with (the current one, and rotated ones unless forgotten). */
    private final List<OrganizationKey> keys = new CopyOnWriteArrayList<>(List.of(organization));
    private volatile boolean certificateInReceipts;
    private final List<byte[]> sealedReceived = new CopyOnWriteArrayList<>();
    private final KeyPair device = DeviceKeys.generate();
    private final WireCodec codec = WireCodec.create();
    private final List<SpanBatch> received = new CopyOnWriteArrayList<>();
    private final Set<Long> stored = ConcurrentHashMap.newKeySet();
    private volatile CollectionPolicy policy = CollectionPolicy.defaults();
    private volatile int failWith;
    private volatile String failCode = "unavailable";
    private volatile String retryAfter;
    private final AtomicInteger failuresLeft = new AtomicInteger(-1);

    URI baseUri() {
        return https.baseUri();
    }

    CertificateAuthority ca() {
        return https.ca();
    }

    UUID organizationId() {
        return organizationId;
    }

    /** The sealed bytes of every upload that reached the handler, failed ones included, in order. */
    List<byte[]> sealedReceived() {
        return List.copyOf(sealedReceived);
    }

    /**
     * Rotates the organization's key: receipts name the new certificate from now on. With {@code forgetOld} the
     * server can no longer open batches sealed to the old key (answers {@code unknown-key-id}).
     */
    OrganizationKey rotate(boolean forgetOld) {
        OrganizationKey next = OrganizationKey.generate("Acme", KEY_CLOCK);
        if (forgetOld) {
            keys.clear();
        }
        keys.add(next);
        organization = next;
        certificateInReceipts = true;
        return next;
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
        failWith(status, "unavailable", null);
    }

    /** Answer every upload with this HTTP status, error code and (unless null) Retry-After header. */
    void failWith(int status, String code, String retryAfter) {
        failNext(-1, status, code, retryAfter);
    }

    /** Answer the next {@code count} uploads (-1: all) with this status, code and (unless null) Retry-After. */
    void failNext(int count, int status, String code, String retryAfter) {
        this.failCode = code;
        this.retryAfter = retryAfter;
        this.failuresLeft.set(count);
        this.failWith = status;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException, GeneralSecurityException {
        https.start();
        https.route("/api/v1/devices/", this::receive);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        https.close();
    }

    private void receive(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/"); // "", api, v1, devices, {id}, batches, {seq}
        UUID deviceId = UUID.fromString(path[4]);
        if (path[5].equals("organization-certificate")) {
            respond(exchange, 200, codec.encode(new OrganizationCertificate(organizationId,
                    Pem.encode(organization.certificate()))));
            return;
        }
        long sequence = Long.parseLong(path[6]);
        byte[] sealed = exchange.getRequestBody().readAllBytes();
        sealedReceived.add(sealed);
        if (failWith != 0 && failuresLeft.getAndUpdate(left -> left > 0 ? left - 1 : left) != 0) {
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            respond(exchange, failWith, codec.encode(new ErrorBody(failCode, "as the test says")));
            return;
        }
        SpanBatch batch = null;
        for (OrganizationKey key : keys) {
            try {
                batch = codec.decode(BatchOpener.create(key.privateKey(), key.certificate())
                        .open(sealed, device.getPublic(), organizationId, deviceId, sequence).payload(),
                        SpanBatch.class);
                break;
            } catch (UnableToOpenBatchException e) {
                if (e.reason() != UnableToOpenBatchException.Reason.UNKNOWN_KEY_ID) {
                    respond(exchange, 400, codec.encode(new ErrorBody("batch-unreadable", e.getMessage())));
                    return;
                }
            }
        }
        if (batch == null) {
            respond(exchange, 400, codec.encode(new ErrorBody("unknown-key-id", "sealed to an unknown key")));
            return;
        }
        received.add(batch);
        boolean duplicate = !stored.add(batch.sequence());
        UploadReceipt receipt = new UploadReceipt(batch.deviceId(), batch.sequence(), batch.spans().size(),
                duplicate, policy);
        if (certificateInReceipts) {
            receipt = receipt.withOrganizationCertificate(Pem.encode(organization.certificate()));
        }
        respond(exchange, 200, codec.encode(receipt));
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        HttpsServerExtension.respond(exchange, status, "application/json", body);
    }
}
