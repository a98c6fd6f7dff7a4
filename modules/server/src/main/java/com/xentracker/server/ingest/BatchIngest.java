package com.xentracker.server.ingest;

import com.xentracker.server.BatchRejectedException;
import com.xentracker.server.DeviceRevokedException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NoSuchDeviceException;
import com.xentracker.server.PrivateDataInBatchException;
import com.xentracker.server.organization.OrganizationKeys;
import com.xentracker.server.organization.Policies;
import com.xentracker.transport.envelope.OpenedBatch;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.OrganizationCertificate;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import com.xentracker.server.access.Action;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.AuditChain;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.rollup.TenantSql;
import com.xentracker.transport.wire.Erasure;
import com.xentracker.transport.wire.SpanBatch;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a device's sealed batch, in three steps: the device's context ({@link DeviceContext}: enrolled, not
 * revoked, its key and organization), the batch opened with the organization's key and checked
 * ({@link BatchValidation}: the device's signature and binding, then the content rules), and the storing transaction
 * ({@link BatchStore}). A repeated batch (the same signed content under the same device and sequence) returns the
 * stored receipt and writes nothing but the device's last-seen time, so an agent may safely retry. Every receipt
 * carries the organization's current collection policy and certificate.
 */
public final class BatchIngest {

    private static final Logger LOG = LoggerFactory.getLogger(BatchIngest.class);

    private final Jdbi jdbi;
    private final OrganizationKeys keys;
    private final WireCodec codec;
    private final BatchStore store;
    private final Clock clock;
    /** Records the devices' confirmations of erasures. */
    private final AuditChain audit;

    private BatchIngest(Jdbi jdbi, OrganizationKeys keys, WireCodec codec, BatchStore store, Clock clock,
            AuditChain audit) {
        this.clock = clock;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.jdbi = jdbi;
        this.keys = keys;
        this.codec = codec;
        this.store = store;
    }

    public static BatchIngest create(Jdbi jdbi, OrganizationKeys keys, WireCodec codec, Policies policies,
            Clock clock, AuditChain audit) {
        return new BatchIngest(jdbi, keys, codec, BatchStore.create(jdbi, policies, clock), clock, audit);
    }

    /**
     * Stores one batch.
     *
     * @throws NoSuchDeviceException   when no device has this id
     * @throws DeviceRevokedException  when the device was revoked
     * @throws BatchRejectedException  when the batch's device id or sequence differ from the URL's, a span or gap
     *                                 lies outside 2000 to 2100, or the sequence was used before for other content
     * @throws PrivateDataInBatchException when an excluded or paused span names an application, executable or title
     * @throws com.xentracker.transport.UnableToOpenBatchException when it does not decrypt or verify
     * @throws com.xentracker.transport.MalformedMessageException  when the payload is not a span batch
     */
    public UploadReceipt ingest(UUID deviceId, long sequence, byte[] sealed) {
        return ingest(deviceId, sequence, sealed, Optional.empty());
    }

    /**
     * Stores one batch, as {@link #ingest(UUID, long, byte[])}; a new batch's arrival (batch id, signed digest, the
     * device's clock and its skew against ours) and any hole it reveals in the device's sequence numbers are
     * recorded as well.
     *
     * @param deviceTime the device's clock when it sent the request, if it said
     */
    public UploadReceipt ingest(UUID deviceId, long sequence, byte[] sealed, Optional<Instant> deviceTime) {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceTime, "deviceTime");
        Objects.requireNonNull(sealed, "sealed");
        if (sequence < 0) {
            throw new InvalidRequestException("a batch sequence is not negative");
        }
        DeviceContext device = DeviceContext.read(jdbi, deviceId);
        PublicKey signer = Pem.publicKey(device.publicKeyPem());
        // authenticity first: nothing about the ledger is revealed to someone who cannot sign as the device
        // also checks the signed binding: this organization, this device, the URL's sequence
        OpenedBatch opened = keys.open(device.organizationId(), sealed, signer, deviceId, sequence);
        if (device.revoked()) {
            // A revoked device stores nothing more, but a batch stored before the revocation whose receipt the agent
            // lost is answered as the repeat it is: otherwise the agent, re-enrolled, sends those spans again under
            // its new identity and they are counted twice.
            return store.storedReceipt(device, sequence, opened.signedDigest(), opened.binding().batchId())
                    .map(receipt -> receipt.withOrganizationCertificate(device.certificatePem()))
                    .orElseThrow(() -> new DeviceRevokedException(deviceId));
        }
        ValidBatch valid = BatchValidation.validate(deviceId, sequence, opened, codec);
        UploadReceipt receipt = store.store(device, valid, deviceTime);
        // every receipt names the current certificate: agents learn a rotated key from their next upload; and the
        // erasures the device has yet to carry out (confirmed by a signed batch, so nobody else can confirm them)
        receipt = receipt.withOrganizationCertificate(device.certificatePem())
                .withErasures(confirm(device, valid.batch()));
        LOG.debug("Batch {} of device {}: {} span(s), {} gap(s){}", sequence, deviceId, receipt.acceptedSpans(),
                valid.batch().gaps().size(), receipt.duplicate() ? ", a repeat" : "");
        return receipt;
    }

    /**
     * Records the erasures the batch confirms (the device dropped that sent history) and returns those still
     * pending, for the receipt. A confirmation of an erasure that is not the device's changes nothing.
     */
    private List<Erasure> confirm(DeviceContext device, SpanBatch batch) {
        if (batch.erasuresDone().isEmpty() || device.erasures().isEmpty()) {
            return device.erasures();
        }
        Set<UUID> done = new HashSet<>(batch.erasuresDone());
        List<Erasure> confirmed = device.erasures().stream().filter(e -> done.contains(e.id())).toList();
        if (confirmed.isEmpty()) {
            return device.erasures();
        }
        jdbi.useTransaction(handle -> {
            for (Erasure erasure : confirmed) {
                int first = TenantSql.update(handle, device.organizationId(), """
                                UPDATE device_erasures SET confirmed_at = :now
                                WHERE organization_id = :organization AND device_id = :device AND id = :id
                                  AND confirmed_at IS NULL""")
                        .bind("device", device.id())
                        .bind("id", erasure.id())
                        .bind("now", clock.instant().truncatedTo(ChronoUnit.MICROS))
                        .execute();
                if (first == 1) {
                    // in the tamper-evident trail too: the device, in a batch signed with its key, said it is done
                    audit.append(handle, device.organizationId(), ActorKind.DEVICE, Optional.empty(),
                            Action.CONFIRM_ERASURE.auditName(), Subject.device(device.id()).and("erasure "
                                    + erasure.id() + ": sent history through batch " + erasure.throughSequence()
                                    + " dropped"), Outcome.SUCCESS);
                }
            }
        });
        LOG.info("Device {} confirmed {} erasure(s) of its sent history", device.id(), confirmed.size());
        return device.erasures().stream().filter(e -> !done.contains(e.id())).toList();
    }

    /**
     * The current encryption certificate of the device's organization, for an agent whose batch was refused as
     * sealed to an unknown key. Revoked devices are refused like their uploads.
     */
    public OrganizationCertificate organizationCertificate(UUID deviceId) {
        Objects.requireNonNull(deviceId, "deviceId");
        DeviceContext device = DeviceContext.read(jdbi, deviceId);
        if (device.revoked()) {
            throw new DeviceRevokedException(deviceId);
        }
        return new OrganizationCertificate(device.organizationId(), device.certificatePem());
    }
}
