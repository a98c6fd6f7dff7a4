package com.xentracker.transport.wire;

import java.util.Objects;
import java.util.UUID;

/**
 * Server to agent: the device is enrolled.
 *
 * @param organizationCertificatePem the organization's key-agreement certificate; the agent seals batches to it
 */
public record EnrollmentResponse(UUID deviceId, UUID organizationId, String organizationName,
        String organizationCertificatePem) {

    public EnrollmentResponse {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(organizationCertificatePem, "organizationCertificatePem");
    }
}
