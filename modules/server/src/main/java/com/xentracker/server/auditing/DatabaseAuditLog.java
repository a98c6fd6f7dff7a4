package com.xentracker.server.auditing;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.audit.AuditLog;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The audit log in the {@code audit_log} table, next to the data it is about. */
public final class DatabaseAuditLog implements AuditLog {

    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final int MAX_SUBJECT = 1000;

    private final Jdbi jdbi;
    private final Clock clock;

    private DatabaseAuditLog(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public static DatabaseAuditLog create(Jdbi jdbi, Clock clock) {
        return new DatabaseAuditLog(jdbi, clock);
    }

    @Override
    public void record(UUID organizationId, UUID actorAccountId, String action, String subject) {
        Objects.requireNonNull(actorAccountId, "actorAccountId");
        jdbi.useHandle(handle -> record(handle, organizationId, Optional.of(actorAccountId), action, subject));
    }

    /**
     * Records an event inside the caller's transaction, so that the change and its audit entry commit together.
     *
     * @param actor empty when the server itself or a device acted
     */
    public void record(Handle handle, UUID organizationId, Optional<UUID> actor, String action, String subject) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(subject, "subject");
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new InvalidRequestException("an audit action is a lower-case-dashed verb, e.g. view-dashboard");
        }
        if (subject.length() > MAX_SUBJECT) {
            throw new InvalidRequestException("an audit subject has at most " + MAX_SUBJECT + " characters");
        }
        handle.createUpdate("""
                INSERT INTO audit_log (organization_id, id, occurred_at, actor_account_id, action, subject)
                VALUES (:organization, :id, :at, CAST(:actor AS uuid), :action, :subject)""")
                .bind("organization", organizationId)
                .bind("id", UUID.randomUUID())
                .bind("at", clock.instant())
                // a null parameter is sent untyped (varchar); the cast lets PostgreSQL take it as a uuid
                .bind("actor", actor.map(UUID::toString).orElse(null))
                .bind("action", action)
                .bind("subject", subject)
                .execute();
    }
}
