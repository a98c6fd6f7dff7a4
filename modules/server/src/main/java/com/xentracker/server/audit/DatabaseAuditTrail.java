package com.xentracker.server.audit;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.rollup.TenantSql;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** {@link AuditTrail} over the {@code audit_log} table. */
final class DatabaseAuditTrail implements AuditTrail {

    static final RowMapper<AuditEntry> ENTRY = (rs, ctx) -> new AuditEntry(rs.getLong("seq"),
            rs.getObject("id", UUID.class), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
            ActorKind.valueOf(rs.getString("actor_kind")),
            Optional.ofNullable(rs.getObject("actor_account_id", UUID.class)), rs.getString("action"),
            new Subject(Optional.ofNullable(rs.getObject("subject_person_id", UUID.class)),
                    Optional.ofNullable(rs.getObject("subject_device_id", UUID.class)),
                    shown(rs.getString("subject"))),
            Outcome.valueOf(rs.getString("outcome")));

    static final String COLUMNS = "seq, id, occurred_at, actor_kind, actor_account_id, action, subject_person_id,"
            + " subject_device_id, subject, outcome";

    private final Guard guard;
    private final AuditChain chain;

    DatabaseAuditTrail(Guard guard, AuditChain chain) {
        this.guard = guard;
        this.chain = chain;
    }

    @Override
    public ChainVerification verify(Actor actor) {
        // the result goes into the verification's own entry: when a break was first seen is evidence too
        return guard.runAudited(actor, Action.VERIFY_AUDIT_TRAIL, Subject.of("audit trail"), (handle, access) -> {
            ChainVerification verification = chain.verify(handle, access.organizationId());
            return Guard.Audited.of(verification, Subject.of("audit trail " + (verification.intact()
                    ? "intact: " + verification.entries() + " entries to " + verification.headSequence()
                    : verification.breakCount() + " break(s), the first " + verification.breaks().get(0).kind()
                            + " at " + verification.breaks().get(0).sequence())));
        });
    }

    @Override
    public List<DataAccess> ownDataAccesses(Actor actor, Optional<Long> beforeSequence, int limit) {
        Objects.requireNonNull(beforeSequence, "beforeSequence");
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new com.xentracker.server.InvalidRequestException("a page has 1 to " + AuditQuery.MAX_LIMIT
                    + " entries");
        }
        return guard.runAudited(actor, Action.VIEW_OWN_DATA_ACCESSES, Subject.of("own data accesses"),
                (handle, access) -> {
                    UUID person = access.requireOwnPerson();
                    // the same entries as the access package's accesses.csv, less the account's own
                    List<DataAccess> accesses = TenantSql.query(handle, access.organizationId(), """
                                    SELECT l.seq, l.occurred_at, l.actor_kind, a.role, a.email, l.action, l.subject,
                                           l.outcome
                                    FROM audit_log l
                                    LEFT JOIN accounts a ON a.organization_id = l.organization_id
                                                        AND a.id = l.actor_account_id
                                    WHERE l.organization_id = :organization AND l.seq IS NOT NULL
                                      AND (l.subject_person_id = :person
                                           OR (l.action IN ('export-data', 'export-audit-log')
                                               AND l.subject_person_id IS NULL AND l.outcome <> 'DENIED'))
                                      AND l.actor_account_id IS DISTINCT FROM :account
                                      AND (CAST(:before AS bigint) IS NULL OR l.seq < CAST(:before AS bigint))
                                    ORDER BY l.seq DESC LIMIT :limit""")
                            .bind("person", person)
                            .bind("account", actor.accountId().orElseThrow())
                            .bindByType("before", beforeSequence.orElse(null), Long.class)
                            .bind("limit", limit)
                            .map((rs, ctx) -> new DataAccess(rs.getLong("seq"),
                                    rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                                    by(ActorKind.valueOf(rs.getString("actor_kind")),
                                            Optional.ofNullable(rs.getString("role")),
                                            Optional.ofNullable(rs.getString("email"))),
                                    rs.getString("action"), shown(rs.getString("subject")),
                                    Outcome.valueOf(rs.getString("outcome"))))
                            .list();
                    return Guard.Audited.of(accesses, Subject.person(person).and("own data accesses: "
                            + accesses.size() + " entries"));
                });
    }

    /** Who acted, as a person reads it: the account's role and address, as their access package shows them. */
    private static String by(ActorKind kind, Optional<String> role, Optional<String> email) {
        return switch (kind) {
            case ACCOUNT -> role.isEmpty() ? "a deleted account"
                    : role.get().toLowerCase(java.util.Locale.ROOT) + " " + email.orElse("");
            case OPERATOR -> "the host operator";
            case DEVICE -> "a device";
            case SYSTEM -> "the server";
            case ANONYMOUS -> "someone not signed in";
        };
    }

    @Override
    public AuditPage search(Actor actor, AuditQuery query) {
        Objects.requireNonNull(query, "query");
        return guard.run(actor, Action.VIEW_AUDIT_LOG, Subject.of("audit log " + describe(query)),
                (handle, access) -> {
                    List<String> conditions = new ArrayList<>(List.of("organization_id = :organization",
                            "seq IS NOT NULL"));
                    query.actorAccount().ifPresent(a -> conditions.add("actor_account_id = :actor"));
                    query.action().ifPresent(a -> conditions.add("action = :action"));
                    query.subjectPerson().ifPresent(p -> conditions.add("subject_person_id = :person"));
                    query.from().ifPresent(f -> conditions.add("occurred_at >= :from"));
                    query.to().ifPresent(t -> conditions.add("occurred_at < :to"));
                    query.beforeSequence().ifPresent(b -> conditions.add("seq < :before"));
                    Query statement = TenantSql.query(handle, access.organizationId(), "SELECT " + COLUMNS
                            + " FROM audit_log WHERE " + String.join(" AND ", conditions)
                            + " ORDER BY seq DESC LIMIT :limit");
                    query.actorAccount().ifPresent(a -> statement.bind("actor", a));
                    query.action().ifPresent(a -> statement.bind("action", a));
                    query.subjectPerson().ifPresent(p -> statement.bind("person", p));
                    query.from().ifPresent(f -> statement.bind("from", f));
                    query.to().ifPresent(t -> statement.bind("to", t));
                    query.beforeSequence().ifPresent(b -> statement.bind("before", b));
                    // one more than the page: whether an older page exists, without a count
                    List<AuditEntry> entries = statement.bind("limit", query.limit() + 1).map(ENTRY).list();
                    boolean more = entries.size() > query.limit();
                    List<AuditEntry> page = more ? entries.subList(0, query.limit()) : entries;
                    return new AuditPage(page, more ? Optional.of(page.get(page.size() - 1).sequence())
                            : Optional.empty());
                });
    }

    /**
     * The subject as listed. The server writes at most {@link Subject#MAX_TEXT} characters; a longer one was changed
     * in the database, which verification reports, and must not make the log unreadable meanwhile.
     */
    private static String shown(String subject) {
        return subject.length() > Subject.MAX_TEXT ? subject.substring(0, Subject.MAX_TEXT) : subject;
    }

    /** Ids and names only, for the search's own audit entry. */
    private static String describe(AuditQuery query) {
        StringBuilder text = new StringBuilder("search");
        query.actorAccount().ifPresent(a -> text.append(" actor ").append(a));
        query.action().ifPresent(a -> text.append(" action ").append(a.length() > 64 ? a.substring(0, 64) : a));
        query.subjectPerson().ifPresent(p -> text.append(" person ").append(p));
        query.from().ifPresent(f -> text.append(" from ").append(f));
        query.to().ifPresent(t -> text.append(" to ").append(t));
        query.beforeSequence().ifPresent(b -> text.append(" before ").append(b));
        return text.toString();
    }
}
