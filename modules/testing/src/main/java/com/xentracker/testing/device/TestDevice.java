package com.xentracker.testing.device;

import com.xentracker.core.activity.Span;
import com.xentracker.testing.https.Https;
import com.xentracker.transport.envelope.BatchBinding;
import com.xentracker.transport.envelope.BatchSealer;
import com.xentracker.transport.pki.Pem;
import com.xentracker.transport.wire.EnrollmentResponse;
import com.xentracker.transport.wire.Routes;
import com.xentracker.transport.wire.SpanBatch;
import com.xentracker.transport.wire.WireCodec;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An enrolled device as a test holds it: what sealing a batch takes. It seals span batches exactly as the agent
 * does (encoded by the {@link WireCodec}, signed with the device key and encrypted to the organization certificate
 * by {@link BatchSealer}, bound to organization, device and sequence) and posts them to the server's batch route.
 *
 * <p>To seal the way an attacker or a confused agent would, make one with other parts: {@code new TestDevice(
 * otherOrganization, device.id(), someoneElsesKey, device.organizationCertificate())}.
 *
 * @param organizationId          the organization the batch binding names
 * @param id                      the device the batch and its binding name
 * @param signingKey              the key that signs
 * @param organizationCertificate the certificate the batch is encrypted to
 */
public record TestDevice(UUID organizationId, UUID id, PrivateKey signingKey,
        X509Certificate organizationCertificate) {

    private static final WireCodec CODEC = WireCodec.create();

    public TestDevice {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(organizationCertificate, "organizationCertificate");
    }

    /** The device that enrolled with {@code keys} and got {@code enrollment} back. */
    public static TestDevice of(KeyPair keys, EnrollmentResponse enrollment) {
        return new TestDevice(enrollment.organizationId(), enrollment.deviceId(), keys.getPrivate(),
                Pem.certificate(enrollment.organizationCertificatePem()));
    }

    /** The sealed bytes of {@code batch}, as the agent would upload them. */
    public byte[] seal(SpanBatch batch) {
        return BatchSealer.create(signingKey, organizationCertificate).seal(CODEC.encode(batch),
                BatchBinding.of(organizationId, id, batch.sequence()));
    }

    /**
     * The sealed bytes of {@code batch} under a chosen batch id: sealing one batch twice with one id gives the same
     * signed content in two different envelopes (a fresh ephemeral key each time), as an agent's re-seal does.
     */
    public byte[] seal(SpanBatch batch, java.util.UUID batchId) {
        return BatchSealer.create(signingKey, organizationCertificate).seal(CODEC.encode(batch),
                new BatchBinding(organizationId, id, batch.sequence(), batchId));
    }

    /** The sealed bytes of a batch of this device with these spans. */
    public byte[] seal(long sequence, List<Span> spans) {
        return seal(new SpanBatch(id, sequence, spans));
    }

    /** Seals {@code batch} and posts it to the server {@code https} talks to; the answer as it came. */
    public Https.Response upload(Https https, SpanBatch batch) {
        return post(https, batch.sequence(), seal(batch));
    }

    /** Seals a batch of this device with these spans and posts it. */
    public Https.Response upload(Https https, long sequence, List<Span> spans) {
        return upload(https, new SpanBatch(id, sequence, spans));
    }

    /** Posts already sealed bytes as batch {@code sequence} of this device (a replay, a tampered copy). */
    public Https.Response post(Https https, long sequence, byte[] sealed) {
        return https.post(Routes.batch(id, sequence), Routes.SEALED_BATCH_MEDIA_TYPE, sealed);
    }
}
