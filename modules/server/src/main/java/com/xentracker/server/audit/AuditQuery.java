package com.xentracker.server.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Which audit entries to list, newest first: any combination of acting account, action, subject person and period,
 * one page at a time.
 *
 * @param from           entries at or after this instant
 * @param to             entries before this instant
 * @param beforeSequence the page after a previous one: entries older than that page's last ({@link AuditPage#next()})
 * @param limit          at most this many entries (1 to {@value #MAX_LIMIT})
 */
public record AuditQuery(Optional<UUID> actorAccount, Optional<String> action, Optional<UUID> subjectPerson,
        Optional<Instant> from, Optional<Instant> to, Optional<Long> beforeSequence, int limit) {

    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        Objects.requireNonNull(actorAccount, "actorAccount");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subjectPerson, "subjectPerson");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(beforeSequence, "beforeSequence");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new com.xentracker.server.InvalidRequestException("a page has 1 to " + MAX_LIMIT + " entries");
        }
    }

    /** The newest {@code limit} entries, unfiltered. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), limit);
    }

    public AuditQuery byActor(UUID account) {
        return new AuditQuery(Optional.of(account), action, subjectPerson, from, to, beforeSequence, limit);
    }

    public AuditQuery withAction(String name) {
        return new AuditQuery(actorAccount, Optional.of(name), subjectPerson, from, to, beforeSequence, limit);
    }

    public AuditQuery aboutPerson(UUID person) {
        return new AuditQuery(actorAccount, action, Optional.of(person), from, to, beforeSequence, limit);
    }

    public AuditQuery between(Instant start, Instant end) {
        return new AuditQuery(actorAccount, action, subjectPerson, Optional.of(start), Optional.of(end),
                beforeSequence, limit);
    }

    public AuditQuery before(long sequence) {
        return new AuditQuery(actorAccount, action, subjectPerson, from, to, Optional.of(sequence), limit);
    }
}
