package com.xentracker.transport.wire;

import com.xentracker.core.policy.CollectionPolicy;
import java.util.Objects;
import java.util.UUID;

/**
 * Server to agent: the device is enrolled.
 *
 * @param organizationCertificatePem the organization's key-agreement certificate; the agent seals batches to it
 * @param policy                     the organization's current collection policy; the agent applies it before it
 *                                   records anything
 */
public record EnrollmentResponse(UUID deviceId, UUID organizationId, String organizationName,
        String organizationCertificatePem, CollectionPolicy policy) {

    public EnrollmentResponse {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(organizationCertificatePem, "organizationCertificatePem");
        Objects.requireNonNull(policy, "policy");
    }

    /** A response carrying {@link CollectionPolicy#defaults()} (version 0). */
    public EnrollmentResponse(UUID deviceId, UUID organizationId, String organizationName,
            String organizationCertificatePem) {
        this(deviceId, organizationId, organizationName, organizationCertificatePem, CollectionPolicy.defaults());
    }
}
