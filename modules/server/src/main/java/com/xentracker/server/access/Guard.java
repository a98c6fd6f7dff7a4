package com.xentracker.server.access;

import com.xentracker.server.NoSuchOrganizationException;
import com.xentracker.server.NotPermittedException;
import com.xentracker.server.NotSignedInException;
import com.xentracker.server.StorageException;
import com.xentracker.server.TwoFactorSetupRequiredException;
import com.xentracker.server.XentrackerServerException;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.AuditChain;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.database.DatabaseErrors;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every use case a front end (or the command line) can call, so that each is checked and recorded the same way:
 * in one transaction it reads the actor's session and account as they are now, checks the role against the
 * {@link Action} (and a viewer's groups), runs the work, and appends <em>one</em> audit entry; the change or read and
 * its entry commit together or not at all.
 *
 * <p>A refusal (the role does not allow it, a viewer outside its groups, two-factor sign-in not set up where it is
 * required) and a failure (an unknown id, invalid input) roll the work back and are recorded in an entry of their
 * own, {@link Outcome#DENIED} or {@link Outcome#FAILED}. A session that is no longer live (expired, ended, its account
 * disabled) is refused with {@link NotSignedInException} and recorded nowhere: nobody known acted.
 *
 * <p>A use case that only reads ({@link #read}, {@link #readAudited}, {@link #readStreamed}) may run its work on a read
 * replica ({@link ReadRoute}); the checks and the entry stay in the transaction on the primary, which stays open
 * around the replica's read, so that the entry is appended only once the read succeeded (docs/decisions/0050).
 *
 * <p>The server's own: made with the database and the audit chain, neither of which front ends can reach.
 */
public final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    /** Runs of one use case that lost a serialization race (or a deadlock) before the failure is given up. */
    private static final int ATTEMPTS = 5;

    private final Jdbi jdbi;
    private final AuditChain audit;
    private final Clock clock;
    private final ReadRoute reads;

    private Guard(Jdbi jdbi, AuditChain audit, Clock clock, ReadRoute reads) {
        this.jdbi = jdbi;
        this.audit = audit;
        this.clock = clock;
        this.reads = reads;
    }

    /** A guard that runs everything on the primary ({@code jdbi}). */
    public static Guard create(Jdbi jdbi, AuditChain audit, Clock clock) {
        return create(jdbi, audit, clock, ReadRoute.primaryOnly());
    }

    /** A guard whose pure reads go where {@code reads} says; everything else runs on the primary ({@code jdbi}). */
    public static Guard create(Jdbi jdbi, AuditChain audit, Clock clock, ReadRoute reads) {
        return new Guard(Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(audit, "audit"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(reads, "reads"));
    }

    /** The host's operator acting in an organization (the command line, first-run set-up, tests). */
    public Actor operator(UUID organizationId) {
        return new Actor(Actor.Kind.OPERATOR, organizationId, null, "operator", Role.OWNER, null, true);
    }

    /**
     * The account behind a live session, as the session store just read it.
     *
     * @param individualDetail whether a viewer was granted individual detail on any group (for display)
     */
    public Actor signedIn(UUID organizationId, UUID accountId, String email, Role role, byte[] sessionHash,
            boolean individualDetail) {
        return new Actor(Actor.Kind.ACCOUNT, organizationId, Objects.requireNonNull(accountId, "accountId"), email,
                role, Objects.requireNonNull(sessionHash, "sessionHash"), individualDetail);
    }

    /**
     * The account behind a live personal API token, as the token store just read it: it may perform only the actions
     * {@link Action#openToApiTokens() open to tokens}, and each use reads the token and the account again.
     */
    public Actor apiToken(UUID organizationId, UUID accountId, String email, Role role, byte[] tokenHash) {
        return new Actor(Actor.Kind.ACCOUNT, organizationId, Objects.requireNonNull(accountId, "accountId"), email,
                role, Objects.requireNonNull(tokenHash, "tokenHash"), false, Actor.Credential.API_TOKEN);
    }

    /**
     * The SHA-256 of the token of the session an account actor stands for (none for the operator), for use cases
     * about the account's sessions themselves (end all but this one).
     */
    public Optional<byte[]> sessionHash(Actor actor) {
        return actor.sessionHash();
    }

    /** The work of a use case, in its transaction, with what the guard established. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Handle handle, Access access);
    }

    /** Work that says itself what its audit entry is about (e.g. the id of what it created). */
    @FunctionalInterface
    public interface AuditedWork<T> {
        Audited<T> run(Handle handle, Access access);
    }

    /** Work that streams what it reads to a client, and says itself how it ended (a download may break off). */
    @FunctionalInterface
    public interface StreamedWork<T> {
        Streamed<T> run(Handle handle, Access access);
    }

    /**
     * A streamed use case's result, the subject of its audit entry and its outcome: {@link Outcome#FAILED} for a
     * download the client broke off, whose entry says how far it went.
     */
    public record Streamed<T>(T value, Subject subject, Outcome outcome) {

        public Streamed {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** A use case's result and the subject of its audit entry. */
    public record Audited<T>(T value, Subject subject) {

        public Audited {
            Objects.requireNonNull(subject, "subject");
        }

        public static <T> Audited<T> of(T value, Subject subject) {
            return new Audited<>(value, subject);
        }
    }

    /** Runs {@code work} as {@code actor} under {@code action}; its audit entry is about {@code subject}. */
    public <T> T run(Actor actor, Action action, Subject subject, Work<T> work) {
        Objects.requireNonNull(work, "work");
        return run(actor, action, subject, ATTEMPTS, false,
                succeeded(work, subject));
    }

    /**
     * Runs {@code work}, which names its entry's subject itself; {@code refusedSubject} is what a refusal or failure
     * is recorded about.
     */
    public <T> T runAudited(Actor actor, Action action, Subject refusedSubject, AuditedWork<T> work) {
        Objects.requireNonNull(work, "work");
        return run(actor, action, refusedSubject, ATTEMPTS, false,
                succeeded(work));
    }

    /**
     * Runs {@code work}, which streams to a client from a cursor in this transaction, and records the outcome the
     * work reports. Never run twice: bytes sent cannot be taken back, so a lost serialization race fails instead of
     * being retried. The account is read (and held FOR SHARE) before the first byte, so disabling it waits until the
     * download ends, and the next request is refused.
     */
    public <T> T runStreamed(Actor actor, Action action, Subject refusedSubject, StreamedWork<T> work) {
        Objects.requireNonNull(work, "work");
        return run(actor, action, refusedSubject, 1, false, work);
    }

    /**
     * Like {@link #run}, for work that only reads (it must write nothing, not even a temporary table): the work may
     * run on the read replica, in a read-only REPEATABLE READ transaction there (one snapshot for all its statements),
     * while the checks and the entry stay in the transaction on the primary. A replica that fails (refused, lost, a
     * statement cancelled for a conflict with recovery) makes the work run again on the primary; the entry is appended
     * once, after the read that is returned.
     */
    public <T> T read(Actor actor, Action action, Subject subject, Work<T> work) {
        Objects.requireNonNull(work, "work");
        return run(actor, action, subject, ATTEMPTS, true,
                succeeded(work, subject));
    }

    /** {@link #runAudited} for work that only reads: it may run on the read replica, as {@link #read} says. */
    public <T> T readAudited(Actor actor, Action action, Subject refusedSubject, AuditedWork<T> work) {
        Objects.requireNonNull(work, "work");
        return run(actor, action, refusedSubject, ATTEMPTS, true,
                succeeded(work));
    }

    /**
     * {@link #runStreamed} for work that only reads: it may stream from the read replica. The account stays held
     * FOR SHARE on the primary until the download ends. A replica that fails before the work began makes it run on
     * the primary instead; once the work began, bytes may have left, so it is not run again: the entry says
     * {@link Outcome#FAILED} (never that the data was shown) and the request fails with storage-unavailable.
     */
    public <T> T readStreamed(Actor actor, Action action, Subject refusedSubject, StreamedWork<T> work) {
        Objects.requireNonNull(work, "work");
        return run(actor, action, refusedSubject, 1, true, work);
    }

    /**
     * Records what the server itself, a device or someone not signed in did, in the caller's transaction (a device's
     * enrollment, a failed sign-in, first-run set-up).
     */
    public void record(Handle handle, UUID organizationId, ActorKind kind, Optional<UUID> account, Action action,
            Subject subject, Outcome outcome) {
        audit.append(handle, organizationId, kind, account, action.auditName(), subject, outcome);
    }

    /** {@code work} as streamed work whose entry is a success about {@code subject}. */
    private static <T> StreamedWork<T> succeeded(Work<T> work, Subject subject) {
        return (handle, access) -> new Streamed<>(work.run(handle, access), subject, Outcome.SUCCESS);
    }

    /** {@code work} as streamed work whose entry is a success about the subject it names. */
    private static <T> StreamedWork<T> succeeded(AuditedWork<T> work) {
        return (handle, access) -> {
            Audited<T> done = work.run(handle, access);
            return new Streamed<>(done.value(), done.subject(), Outcome.SUCCESS);
        };
    }

    private <T> T run(Actor actor, Action action, Subject subject, int attempts, boolean pureRead,
            StreamedWork<T> work) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        if (!action.invocable()) {
            throw new IllegalArgumentException(action + " is recorded by the server, not invoked");
        }
        for (int attempt = 1; ; attempt++) {
            // a streamed read the replica broke off: its FAILED entry commits, then the request fails
            AtomicReference<ReplicaBrokeOff> brokeOff = new AtomicReference<>();
            try {
                T value = jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, handle -> {
                    Access access = authorize(handle, actor, action);
                    Streamed<T> done;
                    try {
                        done = pureRead ? readWhereRouted(handle, access, work, attempts == 1)
                                : work.run(handle, access);
                    } catch (ReplicaBrokeOff e) {
                        append(handle, actor, action, subject.and("broken off: the read replica failed"),
                                Outcome.FAILED);
                        brokeOff.set(e);
                        return null;
                    }
                    append(handle, actor, action, done.subject(), done.outcome());
                    return done.value();
                });
                if (brokeOff.get() != null) {
                    throw new StorageException("the read replica failed during " + action.auditName(),
                            brokeOff.get().getCause());
                }
                return value;
            } catch (Refusal refusal) {
                recordApart(actor, action, subject, Outcome.DENIED, refusal.getMessage());
                LOG.info("{} refused {}: {}", actor, action.auditName(), refusal.getMessage());
                throw refusal.exception;
            } catch (NotSignedInException e) {
                throw e;
            } catch (NotPermittedException | TwoFactorSetupRequiredException e) {
                // refused by the work itself: a viewer asking for someone outside its groups
                recordApart(actor, action, subject, Outcome.DENIED, e.getMessage());
                throw e;
            } catch (XentrackerServerException e) {
                if (e.code().status() < 500) {
                    recordApart(actor, action, subject, Outcome.FAILED, e.code().code());
                }
                throw e;
            } catch (JdbiException e) {
                if (DatabaseErrors.isRetryable(e) && attempt < attempts) {
                    LOG.debug("{} lost a serialization race (attempt {}); running it again", action.auditName(),
                            attempt);
                    continue;
                }
                throw DatabaseErrors.wrap(e, action.auditName());
            }
        }
    }

    /**
     * Runs a pure read on the replica when the route offers one, else on the primary in the guard's transaction
     * ({@code primary}). The guard's transaction stays open meanwhile: the account stays held FOR SHARE, and the entry
     * is appended after this returns, so only a read that succeeded is ever recorded as shown.
     *
     * @param streamed whether the work sends bytes as it reads (then it is never run twice once it began)
     */
    private <T> Streamed<T> readWhereRouted(Handle primary, Access access, StreamedWork<T> work, boolean streamed) {
        Optional<Jdbi> replica = reads.replica();
        if (replica.isEmpty()) {
            return work.run(primary, access);
        }
        AtomicBoolean began = new AtomicBoolean();
        AtomicReference<Streamed<T>> read = new AtomicReference<>();
        try {
            // REPEATABLE READ: one snapshot for all the work's statements, which the primary's transaction cannot
            // afford (its snapshot would lose the race for the audit chain's head); nothing is appended here.
            replica.get().useTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
                began.set(true);
                read.set(work.run(handle, access));
            });
            return read.get();
        } catch (JdbiException e) {
            reads.replicaFailed(e);
            if (read.get() != null) {
                // everything was read; only ending the read-only transaction failed, which puts nothing in doubt
                return read.get();
            }
            if (streamed && began.get()) {
                throw new ReplicaBrokeOff(e);
            }
            // nothing was shown yet: the same read on the primary, in the guard's transaction
            LOG.debug("a read on the replica failed ({}); reading on the primary", e.getClass().getSimpleName());
            return work.run(primary, access);
        }
    }

    /** A streamed read that failed on the replica after it began; thrown inside the guard's transaction. */
    private static final class ReplicaBrokeOff extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplicaBrokeOff(JdbiException cause) {
            super("the read replica failed", cause, false, false);
        }
    }

    /** Reads the actor's session and account as they are now, in this transaction, and checks the action. */
    private Access authorize(Handle handle, Actor actor, Action action) {
        if (actor.kind() == Actor.Kind.OPERATOR) {
            boolean exists = handle.createQuery("SELECT 1 FROM organizations WHERE id = :organization")
                    .bind("organization", actor.organizationId())
                    .mapTo(Integer.class).findOne().isPresent();
            if (!exists) {
                throw new NoSuchOrganizationException(actor.organizationId());
            }
            return new Access(actor, Role.OWNER, Scope.organization());
        }
        record Current(Role role, boolean twoFactor, boolean twoFactorRequired, Optional<UUID> person,
                boolean selfService) {
        }
        boolean token = actor.credential() == Actor.Credential.API_TOKEN;
        if (token && !action.openToApiTokens()) {
            // an API token is read-only and opens the exports alone, whatever its account's role
            throw new Refusal(new NotPermittedException("an API token does not allow " + action.auditName()));
        }
        // A token is live while not revoked or expired and its account active: read here, in this transaction, so
        // disabling the account or revoking the token stops the very next request.
        String credential = token ? """
                FROM api_tokens s
                JOIN accounts a ON a.organization_id = s.organization_id AND a.id = s.account_id
                JOIN organizations o ON o.id = a.organization_id
                WHERE s.token_hash = :session AND s.organization_id = :organization AND s.account_id = :account
                  AND s.expires_at > :now AND s.revoked_at IS NULL AND a.status = 'ACTIVE'
                """ : """
                FROM sessions s
                JOIN accounts a ON a.organization_id = s.organization_id AND a.id = s.account_id
                JOIN organizations o ON o.id = a.organization_id
                WHERE s.token_hash = :session AND s.organization_id = :organization AND s.account_id = :account
                  AND s.expires_at > :now AND a.status = 'ACTIVE'
                """;
        // FOR SHARE on the account: disabling it (which deletes its sessions) waits for use cases under way, and a
        // use case after it finds no session. Expiry is the injected clock's, like everything else.
        Current current = handle.createQuery(
                        "SELECT a.role, a.totp_enabled_at IS NOT NULL AS two_factor, o.require_two_factor,"
                        + " a.person_id, o.self_service " + credential + " FOR SHARE OF a")
                .bind("session", actor.sessionHash().orElseThrow())
                .bind("organization", actor.organizationId())
                .bind("account", actor.accountId().orElseThrow())
                .bind("now", clock.instant())
                .map((rs, ctx) -> new Current(Role.valueOf(rs.getString("role")), rs.getBoolean("two_factor"),
                        rs.getBoolean("require_two_factor"), Optional.ofNullable(rs.getObject("person_id", UUID.class)),
                        rs.getBoolean("self_service")))
                .findOne()
                .orElseThrow(NotSignedInException::new);
        if (!action.allows(current.role())) {
            throw new Refusal(new NotPermittedException("your role (" + current.role().name().toLowerCase(java.util.Locale.ROOT)
                    + ") does not allow " + action.auditName()));
        }
        if (current.twoFactorRequired() && !current.twoFactor() && action.kind() != Action.Kind.OWN_ACCOUNT
                && (current.role() == Role.OWNER || current.role() == Role.ADMIN)) {
            throw new Refusal(new TwoFactorSetupRequiredException());
        }
        if (current.role() == Role.SELF) {
            if (!current.selfService() && action != Action.SIGN_OUT) {
                // Off means off: the organization withdrew self-service, so even a session opened before (turning
                // it off ends them too) and the account's own settings are refused until it is on again.
                throw new Refusal(new NotPermittedException("self-service sign-in is turned off in this organization"));
            }
            // No group and no individual in its scope: a use case that filters by scope finds nobody, and the self
            // use cases read the one person pinned here, never one a request names.
            return new Access(actor, Role.SELF, Scope.groups(Set.of(), Set.of()), current.person());
        }
        if (current.role() != Role.VIEWER) {
            return new Access(actor, current.role(), Scope.organization());
        }
        Set<UUID> groups = new HashSet<>();
        Set<UUID> detail = new HashSet<>();
        handle.createQuery("""
                        SELECT group_id, individual_detail FROM viewer_grants
                        WHERE organization_id = :organization AND account_id = :account""")
                .bind("organization", actor.organizationId())
                .bind("account", actor.accountId().orElseThrow())
                .map((rs, ctx) -> {
                    UUID group = rs.getObject(1, UUID.class);
                    groups.add(group);
                    if (rs.getBoolean(2)) {
                        detail.add(group);
                    }
                    return group;
                })
                .list();
        if (action.kind() == Action.Kind.READ_INDIVIDUALS && detail.isEmpty()) {
            throw new Refusal(new NotPermittedException(
                    "a viewer sees individuals only in groups granted with individual detail"));
        }
        return new Access(actor, current.role(), Scope.groups(groups, detail));
    }

    private void append(Handle handle, Actor actor, Action action, Subject subject, Outcome outcome) {
        audit.append(handle, actor.organizationId(), actor.kind() == Actor.Kind.OPERATOR ? ActorKind.OPERATOR
                : ActorKind.ACCOUNT, actor.accountId(), action.auditName(), subject, outcome);
    }

    /** A refusal or failure, recorded after the work's transaction rolled back, in a transaction of its own. */
    private void recordApart(Actor actor, Action action, Subject subject, Outcome outcome, String why) {
        try {
            jdbi.useTransaction(handle -> append(handle, actor, action, subject.and(why), outcome));
        } catch (JdbiException e) {
            // the answer to the request stays the refusal; the log says the entry is missing
            LOG.error("could not record the {} {} of {}", outcome, action.auditName(), actor, e);
        }
    }

    /** A refusal decided in the transaction; thrown through Jdbi so that the transaction rolls back. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient XentrackerServerException exception;

        Refusal(XentrackerServerException exception) {
            super(exception.getMessage(), null, false, false);
            this.exception = exception;
        }
    }
}
