package com.xentracker.portal;

import com.xentracker.core.activity.Gap;
import com.xentracker.core.activity.Span;
import com.xentracker.server.XentrackerServer;
import com.xentracker.transport.client.ServerClient;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.DeviceKeys;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.AgentState;
import com.xentracker.transport.wire.EnrollmentRequest;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.WireCodec;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A device as the server sees it: enrolled with a token over HTTPS and uploading sealed batches with the transport's
 * own client, as the agent does (without the agent's recording, buffering and scheduling).
 */
final class TestAgent {

    private final KeyPair keys;
    private final EnrollmentResponse enrollment;
    private final ServerClient client;
    private final WireCodec codec = WireCodec.create();
    private long sequence;

    private TestAgent(KeyPair keys, EnrollmentResponse enrollment, ServerClient client) {
        this.keys = keys;
        this.enrollment = enrollment;
        this.client = client;
    }

    static TestAgent enroll(XentrackerServer server, String token, String hostname, String osUser) {
        KeyPair keys = DeviceKeys.generate();
        ServerClient client = ServerClient.create(server.baseUri(), server.certificateAuthority(),
                Duration.ofSeconds(30));
        EnrollmentResponse enrolled = client.enroll(new EnrollmentRequest(token, Pem.encodePublicKey(keys.getPublic()),
                hostname, "Linux 6.1", osUser, "0.2.0"));
        return new TestAgent(keys, enrolled, client);
    }

    UUID id() {
        return enrollment.deviceId();
    }

    /**
     * Uploads the next batch: {@code spans}, the agent's state if given, and the device's clock if given (the server
     * measures the skew against its own).
     */
    void upload(List<Span> spans, Optional<AgentState> state, Optional<Instant> deviceTime) {
        upload(spans, List.of(), state, deviceTime);
    }

    /** Uploads the next batch with the gaps the agent recorded as well. */
    void upload(List<Span> spans, List<Gap> gaps, Optional<AgentState> state, Optional<Instant> deviceTime) {
        long next = sequence++;
        SpanBatch batch = new SpanBatch(id(), next, spans, gaps, state.orElseGet(AgentState::unknown));
        byte[] sealed = BatchSealer.create(keys.getPrivate(), Pem.certificate(enrollment.organizationCertificatePem()))
                .seal(codec.encode(batch), BatchBinding.of(enrollment.organizationId(), id(), next));
        if (deviceTime.isPresent()) {
            client.upload(id(), next, sealed, deviceTime.get());
        } else {
            client.upload(id(), next, sealed);
        }
    }
}
