package com.xentracker.server.device;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A freshly issued enrollment token. The token itself exists only here: the server keeps its SHA-256 hash, so it
 * cannot show it again. {@link #toString()} hides it so that logging this record leaks nothing.
 *
 * @param id      identifies the token for revocation and the audit log
 * @param name    what it is for, e.g. "Berlin laptops" (may be empty)
 * @param token   256 random bits, base64url without padding (43 characters)
 * @param maxUses how many devices may enroll with it
 */
public record IssuedEnrollmentToken(UUID id, UUID organizationId, String name, String token, Instant expiresAt,
        int maxUses) {

    public IssuedEnrollmentToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "IssuedEnrollmentToken[id=" + id + ", organizationId=" + organizationId + ", name=" + name
                + ", token=****, expiresAt=" + expiresAt + ", maxUses=" + maxUses + "]";
    }
}
