package com.xentracker.server.account;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.database.DatabaseErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Sign-in against the {@code accounts} table: the password, then for accounts with two-factor sign-in a code or a
 * recovery code. Guessing is throttled per account ({@link AccountLock}) and per source address
 * ({@link AddressThrottle}), both in the database so that they hold across every server node.
 */
final class DatabaseSignIn implements SignIn {

    /** How long the right password stands in for itself while the second factor is asked for. */
    static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

    private final Jdbi jdbi;
    private final Guard guard;
    private final PasswordHasher hasher;
    private final DatabaseSessions sessions;
    private final SecondFactors secondFactors;
    private final SecretTokens tokens;
    private final Clock clock;

    DatabaseSignIn(Jdbi jdbi, Guard guard, PasswordHasher hasher, DatabaseSessions sessions,
            SecondFactors secondFactors, SecretTokens tokens, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.hasher = hasher;
        this.sessions = sessions;
        this.secondFactors = secondFactors;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** What a failed attempt got wrong. */
    private enum Failure {
        PASSWORD("WRONG_PASSWORD", ""),
        SECOND_FACTOR("WRONG_SECOND_FACTOR", " (second factor)");

        final String history;
        final String subject;

        Failure(String history, String subject) {
            this.history = history;
            this.subject = subject;
        }
    }

    @Override
    public Result withPassword(String email, char[] password, String sourceAddress) {
        Objects.requireNonNull(password, "password");
        String shown = AddressThrottle.displayed(sourceAddress);
        String address = AddressThrottle.key(sourceAddress);
        Optional<String> normalized = Optional.ofNullable(email).map(DatabaseAccounts::normalize);
        record Row(Account account, Optional<String> hash, Optional<Instant> lockedUntil) {
        }
        try {
            Instant now = clock.instant();
            // a locked address is refused before any hashing: the throttle also saves the server the work
            jdbi.useHandle(handle -> AddressThrottle.check(handle, address, now));
            Optional<Row> row = normalized.flatMap(normalizedEmail -> jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT " + DatabaseAccounts.COLUMNS + ", password_hash, locked_until FROM accounts"
                                    + " WHERE email = :email")
                    .bind("email", normalizedEmail)
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
                jdbi.useTransaction(handle -> AddressThrottle.countFailure(handle, address, now));
                return new Refused();
            }
            Account account = row.get().account();
            boolean locked = AccountLock.remaining(row.get().lockedUntil(), now).isPresent();
            if (matches && !locked && account.status() == Account.Status.ACTIVE) {
                if (jdbi.inTransaction(handle -> selfServiceOff(handle, account))) {
                    return new Refused();
                }
                if (account.twoFactor()) {
                    // the count is not reset yet: the right password alone must not buy more guesses at the code
                    return jdbi.inTransaction(handle -> new SecondFactorRequired(
                            challenge(handle, account, now, now.plus(CHALLENGE_LIFETIME))));
                }
                return jdbi.inTransaction(handle -> signedIn(handle, account, shown, "SIGNED_IN",
                        Subject.of("account " + account.id())));
            }
            jdbi.useTransaction(handle -> {
                failure(handle, account, now, locked, shown, Failure.PASSWORD);
                if (!matches) {
                    // only guesses count for the address: a right password refused for a locked or disabled
                    // account guessed nothing
                    AddressThrottle.countFailure(handle, address, now);
                }
            });
            return new Refused();
        } catch (JdbiException e) {
            throw DatabaseErrors.wrap(e, "sign-in");
        }
    }

    @Override
    public Result withSecondFactor(String challenge, String code, String sourceAddress) {
        if (challenge == null || challenge.isEmpty() || challenge.length() > SecretTokens.MAX_LENGTH) {
            return new Refused();
        }
        String shown = AddressThrottle.displayed(sourceAddress);
        String address = AddressThrottle.key(sourceAddress);
        record Taken(UUID organizationId, UUID accountId, Instant expiresAt) {
        }
        record Row(Account account, Optional<Instant> lockedUntil, Optional<byte[]> secret, OptionalLong lastStep) {
        }
        try {
            Instant now = clock.instant();
            jdbi.useHandle(handle -> AddressThrottle.check(handle, address, now));
            return jdbi.inTransaction(handle -> {
                // used once, whatever comes of it: deleted here, in the transaction that acts on the attempt
                Optional<Taken> taken = handle.createQuery("""
                                DELETE FROM sign_in_challenges WHERE token_hash = :hash
                                RETURNING organization_id, account_id, expires_at""")
                        .bind("hash", SecretTokens.hash(challenge))
                        .map((rs, ctx) -> new Taken(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                                rs.getObject(3, OffsetDateTime.class).toInstant()))
                        .findOne()
                        .filter(found -> now.isBefore(found.expiresAt()));
                if (taken.isEmpty()) {
                    return new Refused(); // 256 random bits are not guessed: nothing to count
                }
                Optional<Row> row = handle.createQuery("SELECT " + DatabaseAccounts.COLUMNS
                                + ", locked_until, totp_secret, totp_last_step FROM accounts"
                                + " WHERE organization_id = :organization AND id = :id FOR UPDATE")
                        .bind("organization", taken.get().organizationId())
                        .bind("id", taken.get().accountId())
                        .map((rs, ctx) -> new Row(DatabaseAccounts.ACCOUNT.map(rs, ctx),
                                Optional.ofNullable(rs.getObject("locked_until", OffsetDateTime.class))
                                        .map(OffsetDateTime::toInstant),
                                Optional.ofNullable(rs.getBytes("totp_secret")),
                                rs.getObject("totp_last_step") == null ? OptionalLong.empty()
                                        : OptionalLong.of(rs.getLong("totp_last_step"))))
                        .findOne()
                        // disabled, or two-factor sign-in turned off, since the password was checked
                        .filter(found -> found.account().status() == Account.Status.ACTIVE
                                && found.account().twoFactor() && found.secret().isPresent());
                if (row.isEmpty()) {
                    return new Refused();
                }
                Account account = row.get().account();
                if (AccountLock.remaining(row.get().lockedUntil(), now).isPresent()) {
                    failure(handle, account, now, true, shown, Failure.SECOND_FACTOR);
                    return new Refused();
                }
                if (selfServiceOff(handle, account)) {
                    return new Refused(); // turned off since the password was checked
                }
                Optional<SecondFactors.Proof> proof = secondFactors.verify(handle, new SecondFactors.Enrolled(
                        account.organizationId(), account.id(), row.get().secret().get(), row.get().lastStep()), code);
                if (proof.isPresent()) {
                    boolean recovery = proof.get() == SecondFactors.Proof.RECOVERY_CODE;
                    return signedIn(handle, account, shown, recovery ? "RECOVERY_CODE_USED" : "SIGNED_IN",
                            Subject.of("account " + account.id() + (recovery
                                    ? " (second factor: recovery code, " + recoveryCodesLeft(handle, account) + " left)"
                                    : " (second factor: authenticator code)")));
                }
                boolean lockedNow = failure(handle, account, now, false, shown, Failure.SECOND_FACTOR);
                AddressThrottle.countFailure(handle, address, now);
                if (lockedNow) {
                    return new Refused();
                }
                return new SecondFactorRequired(challenge(handle, account, now, taken.get().expiresAt()));
            });
        } catch (JdbiException e) {
            throw DatabaseErrors.wrap(e, "sign-in");
        }
    }

    /** Opens the session: resets the failure count, records the sign-in in the history and the audit log. */
    private SignedIn signedIn(Handle handle, Account account, String source, String outcome, Subject subject) {
        AccountLock.reset(handle, account.organizationId(), account.id());
        history(handle, account, source, outcome);
        // recorded in the transaction that opens the session: no session without its entry
        guard.record(handle, account.organizationId(), ActorKind.ACCOUNT, Optional.of(account.id()), Action.SIGN_IN,
                subject, Outcome.SUCCESS);
        return sessions.open(handle, account);
    }

    /**
     * Whether {@code account} is a self-service account of an organization that has self-service turned off: then it
     * may not sign in, even with the right password and second factor. Checked only after the password was right, so
     * that the answer (the same {@link Refused} as any other) reveals nothing to a guesser; not counted as a failure
     * (nothing was guessed), but recorded in the audit log as refused.
     */
    private boolean selfServiceOff(Handle handle, Account account) {
        if (account.role() != Role.SELF) {
            return false;
        }
        boolean on = handle.createQuery("SELECT self_service FROM organizations WHERE id = :organization")
                .bind("organization", account.organizationId())
                .mapTo(Boolean.class)
                .one();
        if (on) {
            return false;
        }
        guard.record(handle, account.organizationId(), ActorKind.ACCOUNT, Optional.of(account.id()),
                Action.SIGN_IN_FAILED, Subject.of("self-service account " + account.id()
                        + " refused: self-service is turned off"), Outcome.DENIED);
        return true;
    }

    /** Records a failed attempt on a known account, counts it and locks the account when it is one too many. */
    private boolean failure(Handle handle, Account account, Instant now, boolean wasLocked, String source,
            Failure failure) {
        history(handle, account, source, wasLocked ? "LOCKED" : failure.history);
        guard.record(handle, account.organizationId(), ActorKind.ANONYMOUS, Optional.empty(), Action.SIGN_IN_FAILED,
                Subject.of("account " + account.id() + failure.subject + (wasLocked ? " (locked)" : "")),
                Outcome.FAILED);
        return AccountLock.countFailure(handle, guard, account.organizationId(), account.id(), now, wasLocked);
    }

    /** A new challenge for the second step; the account's expired ones are swept on the way. */
    private String challenge(Handle handle, Account account, Instant now, Instant expiresAt) {
        handle.createUpdate("""
                        DELETE FROM sign_in_challenges WHERE organization_id = :organization AND account_id = :account
                        AND expires_at <= :now""")
                .bind("organization", account.organizationId())
                .bind("account", account.id())
                .bind("now", now)
                .execute();
        String token = tokens.generate();
        handle.createUpdate("""
                        INSERT INTO sign_in_challenges (organization_id, token_hash, account_id, created_at, expires_at)
                        VALUES (:organization, :hash, :account, :now, :expires)""")
                .bind("organization", account.organizationId())
                .bind("hash", SecretTokens.hash(token))
                .bind("account", account.id())
                .bind("now", now)
                .bind("expires", expiresAt)
                .execute();
        return token;
    }

    private static long recoveryCodesLeft(Handle handle, Account account) {
        return handle.createQuery("""
                        SELECT count(*) FROM recovery_codes WHERE organization_id = :organization AND account_id = :account""")
                .bind("organization", account.organizationId())
                .bind("account", account.id())
                .mapTo(Long.class)
                .one();
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

    /** Expired challenges of every account (most are swept when their account signs in again). */
    static int sweepChallenges(Handle handle, Instant now) {
        return handle.createUpdate("DELETE FROM sign_in_challenges WHERE expires_at <= :now")
                .bind("now", now)
                .execute();
    }
}
