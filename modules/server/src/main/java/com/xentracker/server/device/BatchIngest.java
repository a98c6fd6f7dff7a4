package com.xentracker.server.device;

import com.xentracker.core.activity.Span;
import com.xentracker.server.BatchRejectedException;
import com.xentracker.server.DeviceRevokedException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.tenant.OrganizationKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a device's sealed batch: the device must be enrolled and not revoked, the batch must decrypt with its
 * organization's key and carry the device's signature, and its content must name the same device and sequence as the
 * URL. The ledger row and the spans are written in one transaction; a repeated (device, sequence) returns the stored
 * receipt and writes nothing, so an agent may safely retry.
 */
public final class BatchIngest {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIngest.class);
    /** Timestamps outside these bounds come from a broken clock; storing them would distort every report. */
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private final Jdbi jdbi;
    private final OrganizationKeys keys;
    private final WireCodec codec;
    private final Clock clock;

    private BatchIngest(Jdbi jdbi, OrganizationKeys keys, WireCodec codec, Clock clock) {
        this.jdbi = jdbi;
        this.keys = keys;
        this.codec = codec;
        this.clock = clock;
    }

    public static BatchIngest create(Jdbi jdbi, OrganizationKeys keys, WireCodec codec, Clock clock) {
        return new BatchIngest(jdbi, keys, codec, clock);
    }

    private record Device(UUID organizationId, UUID id, String publicKeyPem, boolean revoked) {
    }

    /**
     * Stores one batch.
     *
     * @throws NoSuchDeviceException   when no device has this id
     * @throws DeviceRevokedException  when the device was revoked
     * @throws BatchRejectedException  when the batch's device id or sequence differ from the URL's
     * @throws com.xentracker.transport.UnableToOpenBatchException when it does not decrypt or verify
     * @throws com.xentracker.transport.MalformedMessageException  when the payload is not a span batch
     */
    public UploadReceipt ingest(UUID deviceId, long sequence, byte[] sealed) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(sealed, "sealed");
        if (sequence < 0) {
            throw new InvalidRequestException("a batch sequence is not negative");
        }
        Device device = jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT organization_id, id, public_key_pem, revoked_at IS NOT NULL AS revoked "
                                + "FROM devices WHERE id = :id")
                .bind("id", deviceId)
                .map((rs, ctx) -> new Device(rs.getObject("organization_id", UUID.class),
                        rs.getObject("id", UUID.class), rs.getString("public_key_pem"), rs.getBoolean("revoked")))
                .findOne())
                .orElseThrow(() -> new NoSuchDeviceException(deviceId));
        if (device.revoked()) {
            throw new DeviceRevokedException(deviceId);
        }
        PublicKey signer = Pem.publicKey(device.publicKeyPem());
        // authenticity first: nothing about the ledger is revealed to someone who cannot sign as the device
        byte[] payload = keys.opener(device.organizationId()).open(sealed, signer);
        SpanBatch batch = codec.decode(payload, SpanBatch.class);
        if (!deviceId.equals(batch.deviceId()) || sequence != batch.sequence()) {
            throw new BatchRejectedException("the batch is for device " + batch.deviceId() + " sequence "
                    + batch.sequence() + ", but was sent as device " + deviceId + " sequence " + sequence);
        }
        List<Span> spans = batch.spans() == null ? List.of() : batch.spans();
        for (Span span : spans) {
            if (span == null || span.start().isBefore(EARLIEST) || span.end().isAfter(LATEST)) {
                throw new BatchRejectedException("the batch has a span outside " + EARLIEST + " to " + LATEST);
            }
        }
        UploadReceipt receipt = store(device, sequence, spans);
        LOG.debug("Batch {} of device {}: {} span(s){}", sequence, deviceId, receipt.acceptedSpans(),
                receipt.duplicate() ? ", a repeat" : "");
        return receipt;
    }

    private UploadReceipt store(Device device, long sequence, List<Span> spans) {
        return jdbi.inTransaction(handle -> {
            int inserted = handle.createUpdate("""
                    INSERT INTO batches (organization_id, device_id, sequence, accepted_spans, received_at)
                    VALUES (:organization, :device, :sequence, :spans, :now)
                    ON CONFLICT (organization_id, device_id, sequence) DO NOTHING""")
                    .bind("organization", device.organizationId())
                    .bind("device", device.id())
                    .bind("sequence", sequence)
                    .bind("spans", spans.size())
                    .bind("now", clock.instant())
                    .execute();
            if (inserted == 0) {
                // a concurrent first upload of the same batch has committed by now (the insert waited for it)
                int accepted = handle.createQuery("""
                                SELECT accepted_spans FROM batches
                                WHERE organization_id = :organization AND device_id = :device AND sequence = :sequence""")
                        .bind("organization", device.organizationId())
                        .bind("device", device.id())
                        .bind("sequence", sequence)
                        .mapTo(Integer.class)
                        .one();
                return new UploadReceipt(device.id(), sequence, accepted, true);
            }
            if (!spans.isEmpty()) {
                PreparedBatch insert = handle.prepareBatch("""
                        INSERT INTO spans (organization_id, device_id, batch_sequence, start_at, end_at, state,
                                           application, executable, title)
                        VALUES (:organization, :device, :sequence, :start, :end, :state, :application, :executable,
                                :title)""");
                for (Span span : spans) {
                    insert.bind("organization", device.organizationId())
                            .bind("device", device.id())
                            .bind("sequence", sequence)
                            .bind("start", span.start())
                            .bind("end", span.end())
                            .bind("state", span.activity().state().name())
                            .bind("application", text(span.activity().application()))
                            .bind("executable", text(span.activity().executable()))
                            .bindByType("title", span.activity().title().map(BatchIngest::text).orElse(null),
                                    String.class)
                            .add();
                }
                insert.execute();
            }
            return new UploadReceipt(device.id(), sequence, spans.size(), false);
        });
    }

    /** PostgreSQL text cannot hold NUL; a window title might. */
    private static String text(String value) {
        return value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }
}
