package com.xentracker.server.account;

import com.xentracker.server.access.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An account of the organization's portal, as owners and auditors see it. Never carries the password, its hash or a
 * second factor's secret.
 *
 * @param twoFactor whether the account signs in with a second factor
 * @param person    the person a {@link Role#SELF} account is linked to (and sees alone); empty for every other role
 */
public record Account(UUID id, UUID organizationId, String email, Role role, Status status, boolean twoFactor,
        Instant createdAt, Optional<UUID> person) {

    /** Where an account is in its life. */
    public enum Status {
        /** Invited: has no password until the invitation link is used. */
        INVITED,
        /** Can sign in. */
        ACTIVE,
        /** Cannot sign in; its sessions were ended when it was disabled. Its history stays. */
        DISABLED
    }

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(person, "person");
        if ((role == Role.SELF) != person.isPresent()) {
            throw new IllegalArgumentException("a self-service account, and only it, is linked to a person");
        }
    }
}
