package com.xentracker.server.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of an organization's audit log, as stored.
 *
 * @param sequence its place in the organization's hash chain (1, 2, …; gap-free)
 * @param action   the stable name of what was done, e.g. {@code view-people} (see {@code access.Action})
 */
public record AuditEntry(long sequence, UUID id, Instant occurredAt, ActorKind actorKind, Optional<UUID> actorAccount,
        String action, Subject subject, Outcome outcome) {

    public AuditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actorKind, "actorKind");
        Objects.requireNonNull(actorAccount, "actorAccount");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(outcome, "outcome");
    }
}
