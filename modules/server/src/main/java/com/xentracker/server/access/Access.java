package com.xentracker.server.access;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@link Guard} established for one use case, in its transaction: the actor, its role now, and its scope.
 *
 * @param role      the account's role as read in this transaction (an operator acts as {@link Role#OWNER})
 * @param ownPerson for a {@link Role#SELF} account, the one person it is linked to, as read in this transaction: its
 *                  use cases read this person and no other, whatever a request names
 */
public record Access(Actor actor, Role role, Scope scope, Optional<UUID> ownPerson) {

    public Access {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(ownPerson, "ownPerson");
        if ((role == Role.SELF) != ownPerson.isPresent()) {
            throw new IllegalArgumentException("a self-service account, and only it, has its own person");
        }
    }

    public Access(Actor actor, Role role, Scope scope) {
        this(actor, role, scope, Optional.empty());
    }

    public java.util.UUID organizationId() {
        return actor.organizationId();
    }

    /**
     * The person a self-service use case is about: the account's own, never one a request names.
     *
     * @throws com.xentracker.server.NotPermittedException for every actor but a self-service account (the operator
     *         included: it has no person of its own)
     */
    public UUID requireOwnPerson() {
        return ownPerson.orElseThrow(() -> new com.xentracker.server.NotPermittedException(
                "only a self-service account has data of its own to see"));
    }
}
