package com.xentracker.server.access;

import java.util.Objects;

/**
 * What {@link Guard} established for one use case, in its transaction: the actor, its role now, and its scope.
 *
 * @param role the account's role as read in this transaction (an operator acts as {@link Role#OWNER})
 */
public record Access(Actor actor, Role role, Scope scope) {

    public Access {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
    }

    public java.util.UUID organizationId() {
        return actor.organizationId();
    }
}
