package com.xentracker.server.account;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.database.DatabaseErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password sign-in against the {@code accounts} table. Guessing is throttled per account, in the database so that it
 * holds across every server node: after {@value #FREE_ATTEMPTS} failures in a row the account is locked for a minute,
 * then twice as long per further failure, up to an hour; a successful sign-in resets the count.
 */
final class DatabaseSignIn implements SignIn {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSignIn.class);

    /** Failed sign-ins in a row before the account is locked; then each further failure locks it again. */
    static final int FREE_ATTEMPTS = 5;
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration LONGEST_LOCK = Duration.ofHours(1);
    /** Longer than this is not an address PostgreSQL's inet would take either; stored cut. */
    private static final int MAX_ADDRESS = 64;

    private final Jdbi jdbi;
    private final Guard guard;
    private final PasswordHasher hasher;
    private final DatabaseSessions sessions;
    private final Clock clock;

    DatabaseSignIn(Jdbi jdbi, Guard guard, PasswordHasher hasher, DatabaseSessions sessions, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.hasher = hasher;
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public Result withPassword(String email, char[] password, String sourceAddress) {
        Objects.requireNonNull(password, "password");
        String source = source(sourceAddress);
        Optional<String> normalized = Optional.ofNullable(email).map(DatabaseAccounts::normalize);
        record Row(Account account, Optional<String> hash, Optional<Instant> lockedUntil) {
        }
        try {
            Optional<Row> row = normalized.flatMap(address -> jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT " + DatabaseAccounts.COLUMNS + ", password_hash, locked_until FROM accounts"
                                    + " WHERE email = :email")
                    .bind("email", address)
                    .map((rs, ctx) -> new Row(DatabaseAccounts.ACCOUNT.map(rs, ctx),
                            Optional.ofNullable(rs.getString("password_hash")),
                            Optional.ofNullable(rs.getObject("locked_until", OffsetDateTime.class))
                                    .map(OffsetDateTime::toInstant)))
                    .findOne()));
            // an unknown email is checked against a decoy hash, so it takes as long as a wrong password; so is a
            // locked, disabled or invited account, so that the time taken does not tell those apart either
            boolean matches = password.length <= DatabaseAccounts.MAX_PASSWORD_LENGTH
                    && hasher.verify(row.flatMap(Row::hash), password);
            if (row.isEmpty()) {
                return new Refused();
            }
            Account account = row.get().account();
            Instant now = clock.instant();
            boolean locked = row.get().lockedUntil().filter(now::isBefore).isPresent();
            if (matches && !locked && account.status() == Account.Status.ACTIVE) {
                return jdbi.inTransaction(handle -> {
                    handle.createUpdate("""
                            UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL
                            WHERE organization_id = :organization AND id = :id AND failed_sign_ins > 0""")
                            .bind("organization", account.organizationId())
                            .bind("id", account.id())
                            .execute();
                    history(handle, account, source, "SIGNED_IN");
                    // recorded in the transaction that opens the session: no session without its entry
                    guard.record(handle, account.organizationId(), ActorKind.ACCOUNT, Optional.of(account.id()),
                            Action.SIGN_IN, Subject.of("account " + account.id()), Outcome.SUCCESS);
                    return sessions.open(handle, account);
                });
            }
            recordFailure(account, now, locked, source);
            return new Refused();
        } catch (JdbiException e) {
            throw DatabaseErrors.wrap(e, "sign-in");
        }
    }

    /** Counts the failure and locks the account when it is one too many; atomic across nodes (one UPDATE). */
    private void recordFailure(Account account, Instant now, boolean wasLocked, String source) {
        jdbi.useTransaction(handle -> {
            int failures = handle.createQuery("""
                    UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1
                    WHERE organization_id = :organization AND id = :id
                    RETURNING failed_sign_ins""")
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .mapTo(Integer.class)
                    .one();
            history(handle, account, source, wasLocked ? "LOCKED" : "WRONG_PASSWORD");
            guard.record(handle, account.organizationId(), ActorKind.ANONYMOUS, Optional.empty(),
                    Action.SIGN_IN_FAILED, Subject.of("account " + account.id() + (wasLocked ? " (locked)" : "")),
                    Outcome.FAILED);
            if (failures >= FREE_ATTEMPTS && !wasLocked) {
                Duration lock = lockAfter(failures);
                handle.createUpdate("""
                        UPDATE accounts SET locked_until = :until
                        WHERE organization_id = :organization AND id = :id""")
                        .bind("until", now.plus(lock))
                        .bind("organization", account.organizationId())
                        .bind("id", account.id())
                        .execute();
                guard.record(handle, account.organizationId(), ActorKind.SYSTEM, Optional.empty(),
                        Action.SIGN_IN_LOCKED, Subject.of("account " + account.id() + " for " + lock.toSeconds()
                                + " s after " + failures + " failed sign-ins"), Outcome.SUCCESS);
                LOG.warn("account {} locked for {} s after {} failed sign-ins in a row", account.id(),
                        lock.toSeconds(), failures);
            }
        });
    }

    /** The account's own sign-in history (what it can see of itself). */
    private void history(Handle handle, Account account, String source, String outcome) {
        handle.createUpdate("""
                        INSERT INTO sign_ins (organization_id, account_id, occurred_at, source_address, outcome)
                        VALUES (:organization, :account, :now, :source, :outcome)""")
                .bind("organization", account.organizationId())
                .bind("account", account.id())
                .bind("now", clock.instant())
                .bind("source", source)
                .bind("outcome", outcome)
                .execute();
    }

    /** How long the account is locked after this many failed sign-ins in a row: 1 min after the 5th, doubling with
     *  each further one, at most 1 h. */
    static Duration lockAfter(int failures) {
        int doublings = Math.min(failures - FREE_ATTEMPTS, 6); // 2^6 min > 1 h
        Duration lock = FIRST_LOCK.multipliedBy(1L << Math.max(0, doublings));
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    private static String source(String address) {
        String value = address == null || address.isBlank() ? "unknown" : address.strip();
        return value.length() > MAX_ADDRESS ? value.substring(0, MAX_ADDRESS) : value;
    }
}
