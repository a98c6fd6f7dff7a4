package com.xentracker.server.device;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An enrollment token as administrators see it later: everything but the token itself, which was shown once.
 *
 * @param uses     how many devices enrolled with it
 * @param issuedBy the account that issued it; empty when the host's operator did (the command line)
 */
public record EnrollmentToken(UUID id, String name, Instant createdAt, Instant expiresAt, int maxUses, int uses,
        Optional<Instant> revokedAt, Optional<UUID> issuedBy) {

    /** Whether a device can still enroll with it, and if not, why. */
    public enum State { USABLE, EXPIRED, REVOKED, USED_UP }

    public EnrollmentToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(issuedBy, "issuedBy");
    }

    /** Its state at {@code now}; revocation wins over expiry, expiry over exhaustion. */
    public State state(Instant now) {
        if (revokedAt.isPresent()) {
            return State.REVOKED;
        }
        if (!now.isBefore(expiresAt)) {
            return State.EXPIRED;
        }
        return uses >= maxUses ? State.USED_UP : State.USABLE;
    }
}
