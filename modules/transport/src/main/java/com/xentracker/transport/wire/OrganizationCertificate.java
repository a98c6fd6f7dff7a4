package com.xentracker.transport.wire;

import java.util.Objects;
import java.util.UUID;

/** Server to agent: the organization's current encryption certificate (PEM). */
public record OrganizationCertificate(UUID organizationId, String certificatePem) {

    public OrganizationCertificate {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(certificatePem, "certificatePem");
    }
}
