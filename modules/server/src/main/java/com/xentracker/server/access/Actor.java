package com.xentracker.server.access;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who performs a use case: a signed-in account (behind a live session) or the host's operator (the command line,
 * which holds the server's data directory and master key). Every use case a front end can call takes one.
 *
 * <p>Only the server makes actors (the constructor is not public and no factory is exported): a front end gets one
 * from {@link com.xentracker.server.account.Sessions#resolve} for a session token it was given at sign-in, and cannot
 * make up another. Even so, the role here is only what the account had when the session was resolved, for rendering;
 * {@link Guard} reads the account's current role and state again in every use case's own transaction.
 */
public final class Actor {

    /** Who is behind an actor. */
    public enum Kind {
        /** A person signed in to an account of the organization. */
        ACCOUNT,
        /** The host's operator on the command line: may do everything in any organization. */
        OPERATOR
    }

    private final Kind kind;
    /** What an account actor presented: a portal session, or a personal API token (exports only). */
    public enum Credential {
        SESSION,
        API_TOKEN
    }

    private final UUID organizationId;
    private final UUID accountId; // null for the operator
    private final String name;
    private final Role role;
    private final byte[] sessionHash; // null for the operator
    private final boolean individualDetail;
    private final Credential credential;

    Actor(Kind kind, UUID organizationId, UUID accountId, String name, Role role, byte[] sessionHash,
            boolean individualDetail) {
        this(kind, organizationId, accountId, name, role, sessionHash, individualDetail, Credential.SESSION);
    }

    Actor(Kind kind, UUID organizationId, UUID accountId, String name, Role role, byte[] sessionHash,
            boolean individualDetail, Credential credential) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.organizationId = Objects.requireNonNull(organizationId, "organizationId");
        this.accountId = accountId;
        this.name = Objects.requireNonNull(name, "name");
        this.role = Objects.requireNonNull(role, "role");
        this.sessionHash = sessionHash == null ? null : sessionHash.clone();
        this.individualDetail = individualDetail;
        this.credential = Objects.requireNonNull(credential, "credential");
        if ((kind == Kind.ACCOUNT) != (accountId != null && sessionHash != null)) {
            throw new IllegalArgumentException("an account actor has an account and a session, an operator neither");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The organization the actor acts in; use cases never take an organization from a request. */
    public UUID organizationId() {
        return organizationId;
    }

    /** The account, for an {@link Kind#ACCOUNT} actor. */
    public Optional<UUID> accountId() {
        return Optional.ofNullable(accountId);
    }

    /** A session's or an API token's (the operator's is {@link Credential#SESSION}: it presents none). */
    public Credential credential() {
        return credential;
    }

    /** The account's e-mail address, or {@code operator}; for display. */
    public String name() {
        return name;
    }

    /** The account's role when its session was resolved ({@link Role#OWNER} for the operator); for display only. */
    public Role role() {
        return role;
    }

    /**
     * Whether the actor's role (and, for a viewer, its grants) allows {@code action}: a hint for front ends, which leave out links and forms that
     * would be refused. The server decides anew, in the use case, with the account's current role.
     */
    public boolean may(Action action) {
        if (kind == Kind.OPERATOR) {
            return true;
        }
        if (credential == Credential.API_TOKEN && !action.openToApiTokens()) {
            return false;
        }
        // a viewer sees individuals only where a group was granted with individual detail
        boolean detail = action.kind() != Action.Kind.READ_INDIVIDUALS || role != Role.VIEWER || individualDetail;
        return action.allows(role) && detail;
    }

    /** The SHA-256 of the session token (or API token), for {@link Guard}'s check in each transaction. */
    Optional<byte[]> sessionHash() {
        return Optional.ofNullable(sessionHash).map(byte[]::clone);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Actor actor && kind == actor.kind && organizationId.equals(actor.organizationId)
                && Objects.equals(accountId, actor.accountId) && Arrays.equals(sessionHash, actor.sessionHash)
                && credential == actor.credential;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, organizationId, accountId);
    }

    /** Never shows the session. */
    @Override
    public String toString() {
        return kind == Kind.OPERATOR ? "Actor[operator in " + organizationId + "]"
                : "Actor[account " + accountId + " (" + role + (credential == Credential.API_TOKEN ? ", API token" : "")
                + ") in " + organizationId + "]";
    }
}
