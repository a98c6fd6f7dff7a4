package com.xentracker.collector.upload;

import com.xentracker.collector.buffer.PendingBatch;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    private final Supplier<AgentState> agentState;
    private final Consumer<CollectionPolicy> policies;
    private final WireCodec codec = WireCodec.create();
    private int consecutiveFailures;

    private Uploader(UploaderConfig config, SpanBuffer buffer, UUID deviceId, BatchSealer sealer,
            ServerClient client, Clock clock, Supplier<AgentState> agentState, Consumer<CollectionPolicy> policies) {
        this.config = config;
        this.buffer = buffer;
        this.deviceId = deviceId;
        this.sealer = sealer;
        this.client = client;
        this.clock = clock;
        this.agentState = agentState;
        this.policies = policies;
    }

    /**
     * An uploader for one enrolled device.
     *
     * @param sealer seals with the device's signing key for the organization's certificate
     * @param client the pinned HTTPS client for the device's server
     */
    public static Uploader create(UploaderConfig config, SpanBuffer buffer, UUID deviceId, BatchSealer sealer,
            ServerClient client, Clock clock) {
        return create(config, buffer, deviceId, sealer, client, clock, AgentState::unknown, policy -> { });
    }

    /**
     * An uploader that reports the agent's state with every batch and hands on the policy each receipt carries.
     *
     * @param agentState asked once per batch sent: version, capture state, policy version
     * @param policies   receives the organization's policy from every receipt (the policy cache keeps it only when
     *                   its version is newer); the version is also noted in the buffer for {@code status}
     */
    public static Uploader create(UploaderConfig config, SpanBuffer buffer, UUID deviceId, BatchSealer sealer,
            ServerClient client, Clock clock, Supplier<AgentState> agentState, Consumer<CollectionPolicy> policies) {
        return new Uploader(Objects.requireNonNull(config, "config"), Objects.requireNonNull(buffer, "buffer"),
                Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(sealer, "sealer"),
                Objects.requireNonNull(client, "client"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(agentState, "agentState"), Objects.requireNonNull(policies, "policies"));
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
            // the gaps travel in order with the spans, so the server shows the loss where it happened
            sealed = sealer.seal(codec.encode(new SpanBatch(deviceId, batch.sequence(), batch.spans(), batch.gaps(),
                    agentState.get())));
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
            LOG.info("batch {} uploaded: {} spans, {} gaps{}", batch.sequence(), batch.spans().size(),
                    batch.gaps().size(), receipt.duplicate() ? " (the server had it already)" : "");
            learn(receipt.policy());
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

    /** What the server said about the organization's policy; a failure here must not undo the upload. */
    private void learn(CollectionPolicy policy) {
        try {
            policies.accept(policy);
        } catch (RuntimeException e) {
            LOG.error("could not apply the collection policy version {} from the server: {}", policy.version(),
                    e.getMessage(), e);
        }
        buffer.notePolicy(policy.version(), clock.instant());
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
