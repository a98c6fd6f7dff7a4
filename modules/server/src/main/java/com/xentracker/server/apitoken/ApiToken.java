package com.xentracker.server.apitoken;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A personal API token as its account sees it later: everything but the token itself, which was shown once.
 *
 * @param lastUsedAt when a request last presented it
 */
public record ApiToken(UUID id, String name, Instant createdAt, Instant expiresAt, Optional<Instant> lastUsedAt,
        Optional<Instant> revokedAt) {

    /** Whether it still opens the exports, and if not, why. */
    public enum State { USABLE, EXPIRED, REVOKED }

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    /** Its state at {@code now}; revocation wins over expiry. */
    public State state(Instant now) {
        if (revokedAt.isPresent()) {
            return State.REVOKED;
        }
        return now.isBefore(expiresAt) ? State.USABLE : State.EXPIRED;
    }
}
