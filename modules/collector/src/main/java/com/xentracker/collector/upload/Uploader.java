package com.xentracker.collector.upload;

import com.xentracker.collector.buffer.PendingBatch;
import com.xentracker.collector.buffer.SealedBatch;
import com.xentracker.collector.buffer.SpanBuffer;
import com.xentracker.collector.buffer.Unsent;
import com.xentracker.collector.upload.DrainResult.Outcome;
import com.xentracker.core.policy.CollectionPolicy;
import com.xentracker.transport.ServerRejectedRequestException;
import com.xentracker.transport.ServerUnreachableException;
import com.xentracker.transport.TransportException;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.Erasure;
import com.xentracker.transport.wire.ErrorCode;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.UploadReceipt;
import com.xentracker.transport.wire.WireCodec;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the buffer's outbox to the server, oldest first. A batch is encoded as a {@link SpanBatch}, compressed,
 * signed and encrypted (bound to organization, device, sequence and a batch id) <em>when it is cut</em>, and the
 * sealed bytes are stored with it ({@link SpanBuffer#nextSealedBatch}); every retry sends exactly those bytes. Only a
 * receipt for exactly this device and sequence marks the batch as sent.
 *
 * <p>What the uploader does with each answer:
 * <ul>
 *   <li>2xx naming the sequence (also {@code duplicate}: "already stored"): acknowledged, next batch.</li>
 *   <li>{@code device-revoked}, {@code device-unknown} ({@link #STOP}): uploads stop for the life of the process; the
 *       buffer is kept and {@code status} says why and how to re-enroll ({@code enroll --replace}).</li>
 *   <li>{@code unknown-key-id}: the organization's key changed; fetch its certificate, seal the same batch (same
 *       sequence, same spans) to it, retry. The server cannot have stored the refused bytes.</li>
 *   <li>A refusal that no retry can change ({@link #POISON}): the batch is dropped, logged, noted for
 *       {@code status} and replaced by a gap record that goes to the server; the queue moves on.</li>
 *   <li>Anything else (unreachable, 5xx, 429, codes this version does not know, e.g. a newer server's): retried
 *       after a capped exponential back-off with jitter, never less than the server's {@code Retry-After}. There is
 *       no time limit: data is never given up because the server was away.</li>
 * </ul>
 * Receipts carry the organization's current certificate: when it differs, new batches are sealed to it.
 *
 * <p>The uploader does not schedule itself; the agent calls {@link #drainOnce()} from its upload thread after
 * {@link DrainResult#nextAttemptIn()} (the first time after {@link #initialDelay()}). Methods are synchronized.
 */
public final class Uploader {

    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);

    /**
     * Codes meaning this batch can never be accepted: retrying the same bytes would block the queue for ever. Typed
     * (one enum shared with the server), so the agent cannot wait for a code the server never sends.
     */
    static final Set<ErrorCode> POISON = EnumSet.of(ErrorCode.BATCH_UNREADABLE, ErrorCode.DECRYPTION_FAILED,
            ErrorCode.BAD_SIGNATURE, ErrorCode.BATCH_BINDING_MISMATCH, ErrorCode.ALGORITHM_NOT_ALLOWED,
            ErrorCode.BATCH_REJECTED, ErrorCode.BATCH_PRIVATE_DATA, ErrorCode.MALFORMED_MESSAGE,
            ErrorCode.PAYLOAD_TOO_LARGE);
    /** Codes meaning this device may not upload at all any more. */
    static final Set<ErrorCode> STOP = EnumSet.of(ErrorCode.DEVICE_REVOKED, ErrorCode.DEVICE_UNKNOWN);
    /**
     * Poisoned batches in a row after which the uploader stops dropping: when the server refuses every batch, the
     * fault is most likely not in the batches (a server bug, a key mix-up), and dropping would throw away the whole
     * buffer. From then on such answers are retried with back-off, and the batch is kept.
     */
    static final int MAX_CONSECUTIVE_DROPS = 3;
    /** How long a stopped uploader waits before the agent asks again (it answers at once, without the network). */
    private static final Duration STOPPED_RECHECK = Duration.ofHours(1);
    /**
     * With nothing to upload, a batch without spans still goes out this often, and at once when the agent's state
     * changed: the server sees a device that cannot record (Wayland, no display), is outside working hours or in
     * private time, and its last-seen time, and the device receives policy changes (every receipt carries the
     * policy). Thousands of devices at one small request per 15 minutes each is a light load.
     */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofMinutes(15);

    private final UploaderConfig config;
    private final SpanBuffer buffer;
    private final UUID organizationId;
    private final UUID deviceId;
    private final ServerClient client;
    private final Clock clock;
    private final Supplier<AgentState> agentState;
    private final Consumer<CollectionPolicy> policies;
    private final Consumer<X509Certificate> certificates;
    private final DoubleSupplier random;
    private final WireCodec codec = WireCodec.create();
    private BatchSealer sealer;
    private int consecutiveFailures;
    private int consecutiveDrops;
    private Optional<ErrorCode> stoppedBy = Optional.empty();
    /** The agent state each batch sealed by this process carries, until it is acknowledged. */
    private final Map<Long, AgentState> sealedStates = new HashMap<>();
    /** The agent state the server last acknowledged, and when; empty until this process's first acknowledgement. */
    private Optional<AgentState> reportedState = Optional.empty();
    /**
     * Erasures carried out (the sent history they name dropped) whose confirmation the server has not taken yet:
     * every batch sealed from now on names them, until a receipt no longer lists them.
     */
    private final Set<UUID> erasuresDone = new LinkedHashSet<>();
    private Instant reportedAt = Instant.MIN;

    private Uploader(UploaderConfig config, SpanBuffer buffer, UUID organizationId, UUID deviceId,
            BatchSealer sealer, ServerClient client, Clock clock, Supplier<AgentState> agentState,
            Consumer<CollectionPolicy> policies, Consumer<X509Certificate> certificates, DoubleSupplier random) {
        this.config = config;
        this.buffer = buffer;
        this.organizationId = organizationId;
        this.deviceId = deviceId;
        this.sealer = sealer;
        this.client = client;
        this.clock = clock;
        this.agentState = agentState;
        this.policies = policies;
        this.certificates = certificates;
        this.random = random;
    }

    /**
     * An uploader for one enrolled device.
     *
     * @param sealer seals with the device's signing key for the organization's certificate
     * @param client the pinned HTTPS client for the device's server
     */
    public static Uploader create(UploaderConfig config, SpanBuffer buffer, UUID organizationId, UUID deviceId,
            BatchSealer sealer, ServerClient client, Clock clock) {
        return create(config, buffer, organizationId, deviceId, sealer, client, clock, AgentState::unknown,
                policy -> { }, certificate -> { }, RandomGenerator.getDefault()::nextDouble);
    }

    /**
     * An uploader that reports the agent's state with every batch and hands on what each receipt carries.
     *
     * @param agentState   asked once per batch cut: version, capture state, policy version
     * @param policies     receives the organization's policy from every receipt (the policy cache keeps it only when
     *                     its version is newer); the version is also noted in the buffer for {@code status}
     * @param certificates receives the organization's new certificate when it rotated (to store it with the
     *                     enrollment); the uploader seals to it from then on
     * @param random       uniform in [0, 1): the jitter of back-offs and of the initial delay
     */
    public static Uploader create(UploaderConfig config, SpanBuffer buffer, UUID organizationId, UUID deviceId,
            BatchSealer sealer, ServerClient client, Clock clock, Supplier<AgentState> agentState,
            Consumer<CollectionPolicy> policies, Consumer<X509Certificate> certificates, DoubleSupplier random) {
        return new Uploader(Objects.requireNonNull(config, "config"), Objects.requireNonNull(buffer, "buffer"),
                Objects.requireNonNull(organizationId, "organizationId"), Objects.requireNonNull(deviceId, "deviceId"),
                Objects.requireNonNull(sealer, "sealer"), Objects.requireNonNull(client, "client"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(agentState, "agentState"),
                Objects.requireNonNull(policies, "policies"), Objects.requireNonNull(certificates, "certificates"),
                Objects.requireNonNull(random, "random"));
    }

    /**
     * How long to wait before the first drain: uniform in [0, upload interval). Thousands of agents that start at
     * once (a fleet rebooting at 9:00, a server back after an outage) spread their first uploads over the interval
     * instead of arriving in the same second.
     */
    public Duration initialDelay() {
        return Duration.ofMillis((long) (random.getAsDouble() * config.uploadInterval().toMillis()));
    }

    /** The error that stopped uploads ({@link #STOP}: revoked or deleted device), if any. */
    public synchronized Optional<ErrorCode> stoppedBy() {
        return stoppedBy;
    }

    /** Uploads batches until the buffer is drained, the per-drain limit is reached, or an upload fails. */
    public synchronized DrainResult drainOnce() {
        if (stoppedBy.isPresent()) {
            return new DrainResult(Outcome.STOPPED, 0, 0, STOPPED_RECHECK);
        }
        int batches = 0;
        int spans = 0;
        for (int attempts = 0; attempts < config.maxBatchesPerDrain(); attempts++) {
            Optional<SealedBatch> next;
            try {
                next = buffer.nextSealedBatch(config.maxSpansPerBatch(), this::seal);
                if (next.isEmpty() && heartbeatDue()) {
                    next = buffer.nextSealedBatch(config.maxSpansPerBatch(), this::seal, true);
                }
            } catch (TransportException e) {
                LOG.error("cannot seal the next batch: {}", e.getMessage(), e);
                return failed(noted(Outcome.FAILED, "could not prepare a batch for upload: " + e.getMessage()),
                        batches, spans, Optional.empty());
            }
            if (next.isEmpty()) {
                return succeeded(Outcome.DRAINED, batches, spans);
            }
            SealedBatch batch = next.get();
            Attempt attempt = send(batch);
            switch (attempt.result()) {
                case ACKNOWLEDGED -> {
                    consecutiveDrops = 0;
                    buffer.acknowledge(batch.sequence(), clock.instant());
                    reportedAt = clock.instant();
                    // a batch sealed by an earlier run: its state is unknown here, so the next drain reports again
                    reportedState = Optional.ofNullable(sealedStates.remove(batch.sequence()));
                    batches++;
                    spans += batch.batch().spans().size();
                }
                case DROPPED -> {
                    // already logged and noted; the batch is replaced by a gap, and the next batch goes out at once
                    sealedStates.remove(batch.sequence());
                }
                case STOPPED -> {
                    return new DrainResult(Outcome.STOPPED, batches, spans, STOPPED_RECHECK);
                }
                case RETRY -> {
                    return failed(attempt.outcome(), batches, spans, attempt.retryAfter());
                }
            }
        }
        return succeeded(Outcome.MORE_PENDING, batches, spans);
    }

    /** A state-only batch is due: the state changed since the server last acknowledged one, or it is a while ago. */
    private boolean heartbeatDue() {
        return reportedState.filter(agentState.get()::equals).isEmpty()
                || !clock.instant().isBefore(reportedAt.plus(HEARTBEAT_INTERVAL));
    }

    /** Called by the buffer once, when the batch is cut (or found pending without sealed bytes). */
    private byte[] seal(PendingBatch batch) {
        AgentState state = agentState.get();
        // kept without the backlog: the backlog changes with every batch and must not make a heartbeat due
        sealedStates.put(batch.sequence(), state);
        // the gaps travel in order with the spans, so the server shows the loss where it happened
        byte[] payload = codec.encode(new SpanBatch(deviceId, batch.sequence(), batch.spans(), batch.gaps(),
                withBacklog(state, batch.sequence()), List.copyOf(erasuresDone)));
        return sealer.seal(payload, BatchBinding.of(organizationId, deviceId, batch.sequence()));
    }

    /**
     * The state with what waits besides this batch. The backlog is sealed with the batch, so it says how far behind
     * the device was when the batch was cut; the newest batch the server stores is the freshest word. A buffer that
     * cannot say leaves the backlog out rather than holding up the batch.
     */
    private AgentState withBacklog(AgentState state, long sequence) {
        try {
            Unsent unsent = buffer.unsentBesides(sequence);
            return state.withBacklog(AgentState.Backlog.of(unsent.spans(), unsent.oldestStart()));
        } catch (RuntimeException e) {
            LOG.warn("cannot count the unsent spans for batch {}; it goes without a backlog report: {}", sequence,
                    e.getMessage());
            return state;
        }
    }

    private enum Result { ACKNOWLEDGED, DROPPED, STOPPED, RETRY }

    private record Attempt(Result result, Outcome outcome, Optional<Duration> retryAfter) {
        static Attempt of(Result result) {
            return new Attempt(result, null, Optional.empty());
        }

        static Attempt retry(Outcome outcome, Optional<Duration> retryAfter) {
            return new Attempt(Result.RETRY, outcome, retryAfter);
        }
    }

    private Attempt send(SealedBatch batch) {
        long sequence = batch.sequence();
        try {
            UploadReceipt receipt;
            try {
                receipt = client.upload(deviceId, sequence, batch.sealed(), clock.instant());
            } catch (ServerRejectedRequestException e) {
                if (e.errorCode().filter(ErrorCode.UNKNOWN_KEY_ID::equals).isEmpty()) {
                    throw e;
                }
                // the server holds no key for the certificate we sealed to: learn the current one, seal the same
                // batch to it and send that instead (the refused bytes cannot have been stored)
                LOG.warn("the server does not know the organization key batch {} was sealed to; fetching the"
                        + " organization's current certificate", sequence);
                adopt(client.organizationCertificate(deviceId).certificatePem());
                byte[] resealed = seal(batch.batch());
                buffer.reseal(sequence, resealed);
                receipt = client.upload(deviceId, sequence, resealed, clock.instant());
            }
            if (!deviceId.equals(receipt.deviceId()) || receipt.sequence() != sequence) {
                LOG.error("the server acknowledged batch {} of device {} when batch {} of device {} was sent;"
                        + " keeping the batch", receipt.sequence(), receipt.deviceId(), sequence, deviceId);
                return Attempt.retry(noted(Outcome.SERVER_REJECTED, "the server acknowledged another batch than the"
                        + " one sent (" + receipt.sequence() + " instead of " + sequence + "); the batch is kept"),
                        Optional.empty());
            }
            LOG.info("batch {} uploaded: {} spans, {} gaps{}", sequence, batch.batch().spans().size(),
                    batch.batch().gaps().size(), receipt.duplicate() ? " (the server had it already)" : "");
            learn(receipt);
            return Attempt.of(Result.ACKNOWLEDGED);
        } catch (ServerUnreachableException e) {
            LOG.warn("server unreachable, batch {} kept for retry: {}", sequence, e.getMessage());
            return Attempt.retry(noted(Outcome.SERVER_UNREACHABLE, "cannot reach the server: " + e.getMessage()),
                    Optional.empty());
        } catch (ServerRejectedRequestException e) {
            return rejected(batch, e);
        } catch (TransportException e) {
            LOG.error("upload of batch {} failed, batch kept for retry: {}", sequence, e.getMessage());
            return Attempt.retry(noted(Outcome.SERVER_REJECTED, "the upload of batch " + sequence + " failed: "
                    + e.getMessage()), Optional.empty());
        }
    }

    private Attempt rejected(SealedBatch batch, ServerRejectedRequestException e) {
        long sequence = batch.sequence();
        // a code this version does not know (a newer server's) is empty here and falls through to the retry below
        Optional<ErrorCode> code = e.errorCode();
        if (code.filter(STOP::contains).isPresent()) {
            stoppedBy = code;
            String why = code.get() == ErrorCode.DEVICE_REVOKED ? "the organization revoked this device"
                    : "the server no longer knows this device (it was deleted)";
            LOG.error("{}: uploads stop; the {} batch(es) and spans waiting stay in the buffer", why,
                    buffer.backlog().pendingBatches());
            noted(Outcome.STOPPED, code, why + " (" + e.code() + "); uploads are stopped, nothing is deleted"
                    + " from the buffer. Re-enroll with a new token (enroll --replace) to send it under a new"
                    + " identity.");
            return Attempt.of(Result.STOPPED);
        }
        boolean poison = code.filter(POISON::contains).isPresent() && e.status() / 100 == 4;
        if (poison && consecutiveDrops >= MAX_CONSECUTIVE_DROPS) {
            LOG.error("the server refused batch {} with HTTP {} ({}), and the {} batches before it as well: keeping"
                    + " it and retrying later instead of dropping the whole buffer", sequence, e.status(), e.code(),
                    consecutiveDrops);
            return Attempt.retry(noted(Outcome.SERVER_REJECTED, code, "the server refuses every batch ("
                    + e.code() + "); batch " + sequence + " and all later ones are kept and retried"),
                    e.retryAfter());
        }
        if (poison) {
            consecutiveDrops++;
            LOG.error("the server refused batch {} for good with HTTP {} ({}): dropping it ({} spans, {} gaps) and"
                    + " recording the loss as a gap", sequence, e.status(), e.code(), batch.batch().spans().size(),
                    batch.batch().gaps().size());
            buffer.reject(sequence, e.code(), clock.instant());
            noted(Outcome.BATCH_DROPPED, code, "the server refused batch " + sequence + " for good ("
                    + e.code() + "); its " + batch.batch().spans().size() + " spans were dropped and reported as a"
                    + " gap");
            return Attempt.of(Result.DROPPED);
        }
        LOG.warn("server refused batch {} with HTTP {} ({}); batch kept for retry", sequence, e.status(), e.code());
        return Attempt.retry(noted(Outcome.SERVER_REJECTED, code, "the server refused batch " + sequence
                + " with HTTP " + e.status() + " (" + e.code() + ")"), e.retryAfter());
    }

    /** What a receipt says; a failure here must not undo the upload. */
    private void learn(UploadReceipt receipt) {
        CollectionPolicy policy = receipt.policy();
        try {
            policies.accept(policy);
        } catch (RuntimeException e) {
            LOG.error("could not apply the collection policy version {} from the server: {}", policy.version(),
                    e.getMessage(), e);
        }
        buffer.notePolicy(policy.version(), clock.instant());
        erase(receipt.erasures());
        if (!receipt.organizationCertificatePem().isEmpty()) {
            try {
                adopt(receipt.organizationCertificatePem());
            } catch (RuntimeException e) {
                LOG.error("could not adopt the organization certificate from the server: {}", e.getMessage(), e);
            }
        }
    }

    /**
     * Carries out the erasures a receipt names (a person whose data this device sent was erased on the server): drops
     * that sent history from the buffer and confirms in the next batch. One the server no longer names was confirmed.
     */
    private void erase(List<Erasure> pending) {
        erasuresDone.retainAll(pending.stream().map(Erasure::id).toList());
        for (Erasure erasure : pending) {
            if (erasuresDone.contains(erasure.id())) {
                continue; // done; the confirmation is on its way
            }
            try {
                int spans = buffer.eraseSentHistory(erasure.throughSequence());
                erasuresDone.add(erasure.id());
                LOG.info("erasure {}: dropped the sent history through batch {} ({} spans), as the server asked",
                        erasure.id(), erasure.throughSequence(), spans);
            } catch (RuntimeException e) {
                // tried again with the next receipt, which names it until it is confirmed
                LOG.error("could not carry out erasure {}: {}", erasure.id(), e.getMessage(), e);
            }
        }
    }

    /** Seals new batches to {@code pem} from now on, if it differs from the current certificate. */
    private void adopt(String pem) {
        X509Certificate certificate = Pem.certificate(pem);
        if (sameCertificate(certificate, sealer.organizationCertificate())) {
            return;
        }
        sealer = sealer.withOrganizationCertificate(certificate); // refuses a certificate not for key agreement
        LOG.info("the organization's encryption certificate changed (now {}, serial {}); sealing new batches to it",
                certificate.getSubjectX500Principal(), certificate.getSerialNumber());
        certificates.accept(certificate);
    }

    private static boolean sameCertificate(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    /** Remembers the failure in the buffer file, where {@code status} shows it (last error, when, in plain words). */
    private Outcome noted(Outcome outcome, String message) {
        return noted(outcome, Optional.empty(), message);
    }

    /** The same for a refusal, with the server's error code when this version knows it. */
    private Outcome noted(Outcome outcome, Optional<ErrorCode> code, String message) {
        buffer.noteUploadFailure(clock.instant(), outcome.name(), code, message);
        return outcome;
    }

    private DrainResult succeeded(Outcome outcome, int batches, int spans) {
        consecutiveFailures = 0;
        Duration next = outcome == Outcome.MORE_PENDING ? Duration.ZERO : config.uploadInterval();
        return new DrainResult(outcome, batches, spans, next);
    }

    private DrainResult failed(Outcome outcome, int batches, int spans, Optional<Duration> retryAfter) {
        consecutiveFailures++;
        Duration wait = backoff(consecutiveFailures);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
            wait = retryAfter.get(); // the server knows best when it can take us again (capped at a day by the client)
        }
        LOG.debug("next upload attempt in {} s", wait.toSeconds());
        return new DrainResult(outcome, batches, spans, wait);
    }

    /**
     * "Equal jitter": half of min(max, interval × 2^(failures − 1)) plus a random part of the other half. The
     * random half keeps agents that failed together (a server outage) from retrying together; the fixed half keeps
     * the back-off growing.
     */
    Duration backoff(int failures) {
        Duration ceiling = config.uploadInterval();
        for (int i = 1; i < failures && ceiling.compareTo(config.maxBackoff()) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        if (ceiling.compareTo(config.maxBackoff()) > 0) {
            ceiling = config.maxBackoff();
        }
        long half = ceiling.toMillis() / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling.toMillis() - half)));
    }
}
