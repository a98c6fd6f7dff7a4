package com.xentracker.server.people;

import com.xentracker.server.access.Role;
import java.util.Objects;
import java.util.UUID;

/**
 * A group given to an account.
 *
 * @param role             the account's role now; the grant takes effect only while it is {@link Role#VIEWER}
 * @param individualDetail whether the account sees the group's people, not only aggregates
 */
public record ViewerGrant(UUID accountId, String email, Role role, boolean individualDetail) {

    public ViewerGrant {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
    }

    /** Whether the grant limits what the account sees now (it is a viewer); otherwise it waits, unused. */
    public boolean inEffect() {
        return role == Role.VIEWER;
    }
}
