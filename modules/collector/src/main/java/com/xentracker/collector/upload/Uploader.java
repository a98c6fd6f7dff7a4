package com.xentracker.collector.upload;

import com.xentracker.collector.buffer.PendingBatch;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the buffer's closed spans to the server, oldest first: takes the next batch (the pending one, or a new one
 * whose sequence is stored before anything is sent), encodes it as a {@link SpanBatch}, seals it (signed with the
 * device key, encrypted to the organization) and uploads it. Only a receipt for exactly this device and sequence
 * marks the batch as sent; on any failure it stays, the failure is noted in the buffer (for {@code status}), and the
 * next attempt comes after a doubling back-off.
 *
 * <p>The uploader does not schedule itself; the agent calls {@link #drainOnce()} from its upload thread after
 * {@link DrainResult#nextAttemptIn()}. Methods are synchronized.
 */
public final class Uploader {

    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);

    private final UploaderConfig config;
    private final SpanBuffer buffer;
    private final UUID deviceId;
    private final BatchSealer sealer;
    private final ServerClient client;
    private final Clock clock;
    private final WireCodec codec = WireCodec.create();
    private int consecutiveFailures;

    private Uploader(UploaderConfig config, SpanBuffer buffer, UUID deviceId, BatchSealer sealer,
            ServerClient client, Clock clock) {
        this.config = config;
        this.buffer = buffer;
        this.deviceId = deviceId;
        this.sealer = sealer;
        this.client = client;
        this.clock = clock;
    }

    /**
     * An uploader for one enrolled device.
     *
     * @param sealer seals with the device's signing key for the organization's certificate
     * @param client the pinned HTTPS client for the device's server
     */
    public static Uploader create(UploaderConfig config, SpanBuffer buffer, UUID deviceId, BatchSealer sealer,
            ServerClient client, Clock clock) {
        return new Uploader(Objects.requireNonNull(config, "config"), Objects.requireNonNull(buffer, "buffer"),
                Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(sealer, "sealer"),
                Objects.requireNonNull(client, "client"), Objects.requireNonNull(clock, "clock"));
    }

    /** Uploads batches until the buffer is drained, the per-drain limit is reached, or an upload fails. */
    public synchronized DrainResult drainOnce() {
        int batches = 0;
        int spans = 0;
        while (batches < config.maxBatchesPerDrain()) {
            Optional<PendingBatch> next = buffer.nextBatch(config.maxSpansPerBatch());
            if (next.isEmpty()) {
                return succeeded(Outcome.DRAINED, batches, spans);
            }
            PendingBatch batch = next.get();
            Outcome failure = upload(batch);
            if (failure != null) {
                return failed(failure, batches, spans);
            }
            buffer.acknowledge(batch.sequence(), clock.instant());
            batches++;
            spans += batch.spans().size();
        }
        return succeeded(Outcome.MORE_PENDING, batches, spans);
    }

    /**
     * @return null when the server acknowledged the batch, otherwise the kind of failure (already logged and noted
     *         in the buffer for {@code status})
     */
    private Outcome upload(PendingBatch batch) {
        byte[] sealed;
        try {
            // TODO(wire): send batch.gaps() and the agent state once SpanBatch carries them (W3); until then a batch
            // holding gap records is sent with its spans only
            sealed = sealer.seal(codec.encode(new SpanBatch(deviceId, batch.sequence(), batch.spans())));
        } catch (TransportException e) {
            LOG.error("cannot prepare batch {} for upload: {}", batch.sequence(), e.getMessage(), e);
            return noted(Outcome.FAILED, "could not prepare batch " + batch.sequence() + " for upload: "
                    + e.getMessage());
        }
        try {
            UploadReceipt receipt = client.upload(deviceId, batch.sequence(), sealed);
            if (!deviceId.equals(receipt.deviceId()) || receipt.sequence() != batch.sequence()) {
                LOG.error("the server acknowledged batch {} of device {} when batch {} of device {} was sent;"
                        + " keeping the batch", receipt.sequence(), receipt.deviceId(), batch.sequence(), deviceId);
                return noted(Outcome.SERVER_REJECTED, "the server acknowledged another batch than the one sent ("
                        + receipt.sequence() + " instead of " + batch.sequence() + "); the batch is kept");
            }
            LOG.info("batch {} uploaded: {} spans{}", batch.sequence(), batch.spans().size(),
                    receipt.duplicate() ? " (the server had it already)" : "");
            return null;
        } catch (ServerUnreachableException e) {
            LOG.warn("server unreachable, batch {} kept for retry: {}", batch.sequence(), e.getMessage());
            return noted(Outcome.SERVER_UNREACHABLE, "cannot reach the server: " + e.getMessage());
        } catch (ServerRejectedRequestException e) {
            LOG.error("server rejected batch {} with HTTP {} ({}); batch kept for retry", batch.sequence(),
                    e.status(), e.code());
            return noted(Outcome.SERVER_REJECTED, "the server refused batch " + batch.sequence() + " with HTTP "
                    + e.status() + " (" + e.code() + ")");
        } catch (TransportException e) {
            LOG.error("upload of batch {} failed, batch kept for retry: {}", batch.sequence(), e.getMessage());
            return noted(Outcome.SERVER_REJECTED, "the upload of batch " + batch.sequence() + " failed: "
                    + e.getMessage());
        }
    }

    /** Remembers the failure in the buffer file, where {@code status} shows it (last error, when, in plain words). */
    private Outcome noted(Outcome outcome, String message) {
        buffer.noteUploadFailure(clock.instant(), outcome.name(), message);
        return outcome;
    }

    private DrainResult succeeded(Outcome outcome, int batches, int spans) {
        consecutiveFailures = 0;
        Duration next = outcome == Outcome.MORE_PENDING ? Duration.ZERO : config.uploadInterval();
        return new DrainResult(outcome, batches, spans, next);
    }

    private DrainResult failed(Outcome outcome, int batches, int spans) {
        consecutiveFailures++;
        Duration backoff = backoff(consecutiveFailures);
        LOG.debug("next upload attempt in {} s", backoff.toSeconds());
        return new DrainResult(outcome, batches, spans, backoff);
    }

    /** interval × 2^(failures - 1), at most maxBackoff. */
    private Duration backoff(int failures) {
        Duration delay = config.uploadInterval();
        for (int i = 1; i < failures && delay.compareTo(config.maxBackoff()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : delay;
    }
}
