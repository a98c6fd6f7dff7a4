package com.xentracker.transport.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.xentracker.core.policy.CollectionPolicy;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Server to agent: the batch is stored. {@code duplicate} is true when the same sequence was stored before (a
 * retry); the agent may then drop its copy just the same.
 *
 * @param policy the organization's current collection policy, so that agents learn a change with their next upload;
 *               an agent adopts it only when its version is higher than the one it applies
 * @param organizationCertificatePem the organization's current encryption certificate (PEM), so that agents learn
 *               a rotated key with their next upload and seal new batches to it; empty from a server that does not
 *               say (the agent keeps its certificate)
 * @param erasures erasures of people whose data this device sent that the device has not confirmed yet: drop the
 *               sent history they name, then confirm (empty from a server that does not say)
 */
public record UploadReceipt(UUID deviceId, long sequence, int acceptedSpans, boolean duplicate,
        CollectionPolicy policy, String organizationCertificatePem,
        // left out when empty: a receipt without erasures is what older servers send
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Erasure> erasures) {

    public UploadReceipt {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(organizationCertificatePem, "organizationCertificatePem");
        erasures = erasures == null ? List.of() : List.copyOf(erasures);
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative, got " + sequence);
        }
        if (acceptedSpans < 0) {
            throw new IllegalArgumentException("acceptedSpans must not be negative, got " + acceptedSpans);
        }
    }

    /** A receipt that names no erasure. */
    public UploadReceipt(UUID deviceId, long sequence, int acceptedSpans, boolean duplicate,
            CollectionPolicy policy, String organizationCertificatePem) {
        this(deviceId, sequence, acceptedSpans, duplicate, policy, organizationCertificatePem, List.of());
    }

    /** A receipt that does not name the organization's certificate. */
    public UploadReceipt(UUID deviceId, long sequence, int acceptedSpans, boolean duplicate,
            CollectionPolicy policy) {
        this(deviceId, sequence, acceptedSpans, duplicate, policy, "");
    }

    /** The same receipt naming the organization's current certificate. */
    public UploadReceipt withOrganizationCertificate(String pem) {
        return new UploadReceipt(deviceId, sequence, acceptedSpans, duplicate, policy, pem, erasures);
    }

    /** The same receipt naming these unconfirmed erasures. */
    public UploadReceipt withErasures(List<Erasure> pending) {
        return new UploadReceipt(deviceId, sequence, acceptedSpans, duplicate, policy, organizationCertificatePem,
                pending);
    }

    /** A receipt carrying {@link CollectionPolicy#defaults()} (version 0). */
    public UploadReceipt(UUID deviceId, long sequence, int acceptedSpans, boolean duplicate) {
        this(deviceId, sequence, acceptedSpans, duplicate, CollectionPolicy.defaults());
    }
}
