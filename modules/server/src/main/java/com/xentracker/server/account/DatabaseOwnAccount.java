package com.xentracker.server.account;

import com.xentracker.server.ConflictException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NotPermittedException;
import com.xentracker.server.TooManyAttemptsException;
import com.xentracker.server.access.Access;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.PasswordHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The signed-in account's own page over the {@code accounts}, {@code recovery_codes} and {@code sign_ins} tables. */
final class DatabaseOwnAccount implements OwnAccount {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOwnAccount.class);

    private final Jdbi jdbi;
    private final Guard guard;
    private final PasswordHasher hasher;
    private final SecondFactors secondFactors;
    private final Clock clock;

    DatabaseOwnAccount(Jdbi jdbi, Guard guard, PasswordHasher hasher, SecondFactors secondFactors, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.hasher = hasher;
        this.secondFactors = secondFactors;
        this.clock = clock;
    }

    /** The account row as the use cases here need it, read with the row locked. */
    private record Row(Account account, String organizationName, boolean organizationRequiresTwoFactor,
            Optional<String> passwordHash, Optional<Instant> lockedUntil, Optional<byte[]> totpSecret,
            OptionalLong lastStep) {

        SecondFactors.Enrolled enrolled() {
            return new SecondFactors.Enrolled(account.organizationId(), account.id(), totpSecret.orElseThrow(),
                    lastStep);
        }

        /** Whether the organization requires two-factor sign-in of this account's role. */
        boolean twoFactorRequired(Role role) {
            return organizationRequiresTwoFactor && (role == Role.OWNER || role == Role.ADMIN);
        }
    }

    @Override
    public AccountOverview view(Actor actor) {
        return guard.run(actor, Action.VIEW_OWN_ACCOUNT, subject(actor), (handle, access) -> {
            UUID accountId = own(access);
            // two statements in READ COMMITTED: a sign-in committed between them shows in one and not the other,
            // which a page of one's own account can live with
            Row row = row(handle, access, false);
            int codesLeft = handle.createQuery("""
                            SELECT count(*) FROM recovery_codes WHERE organization_id = :organization
                            AND account_id = :account""")
                    .bind("organization", access.organizationId())
                    .bind("account", accountId)
                    .mapTo(Integer.class)
                    .one();
            List<SignInAttempt> recent = handle.createQuery("""
                            SELECT occurred_at, source_address, outcome FROM sign_ins
                            WHERE organization_id = :organization AND account_id = :account
                            ORDER BY occurred_at DESC LIMIT :limit""")
                    .bind("organization", access.organizationId())
                    .bind("account", accountId)
                    .bind("limit", RECENT_SIGN_INS)
                    .map((rs, ctx) -> new SignInAttempt(rs.getObject(1, OffsetDateTime.class).toInstant(),
                            rs.getString(2), SignInAttempt.Outcome.valueOf(rs.getString(3))))
                    .list();
            Account account = row.account();
            AccountOverview.TwoFactor state = account.twoFactor() ? AccountOverview.TwoFactor.ON
                    : row.totpSecret().isPresent() ? AccountOverview.TwoFactor.PENDING : AccountOverview.TwoFactor.OFF;
            Optional<TwoFactorSetup> pending = state == AccountOverview.TwoFactor.PENDING
                    ? Optional.of(secondFactors.pendingSetup(row.totpSecret().get(), accountId,
                            row.organizationName(), account.email()))
                    : Optional.empty();
            return new AccountOverview(account.id(), account.email(), access.role(), state,
                    row.twoFactorRequired(access.role()), account.twoFactor() ? codesLeft : 0, recent, pending);
        });
    }

    @Override
    public void changePassword(Actor actor, char[] currentPassword, char[] newPassword) {
        Objects.requireNonNull(currentPassword, "currentPassword");
        countingWrongSecrets(actor, wrong -> guard.run(actor, Action.CHANGE_OWN_PASSWORD, subject(actor),
                (handle, access) -> {
                    UUID accountId = own(access);
                    DatabaseAccounts.checkPassword(newPassword); // in the use case, so a refusal is audited too
                    Row row = row(handle, access, true);
                    refuseWhileLocked(row);
                    if (currentPassword.length > DatabaseAccounts.MAX_PASSWORD_LENGTH
                            || !hasher.verify(row.passwordHash(), currentPassword)) {
                        wrong.set(true);
                        throw new InvalidRequestException("the current password is wrong");
                    }
                    handle.createUpdate("""
                                    UPDATE accounts SET password_hash = :hash, password_changed_at = :now
                                    WHERE organization_id = :organization AND id = :account""")
                            .bind("hash", hasher.hash(newPassword))
                            .bind("now", clock.instant())
                            .bind("organization", access.organizationId())
                            .bind("account", accountId)
                            .execute();
                    // whoever knew the old password may have a session: only this one survives the change
                    endOtherSessions(handle, access, accountId);
                    return null;
                }));
    }

    @Override
    public TwoFactorSetup beginTwoFactorSetup(Actor actor) {
        return guard.run(actor, Action.BEGIN_TWO_FACTOR_SETUP, subject(actor), (handle, access) -> {
            UUID accountId = own(access);
            Row row = row(handle, access, true);
            if (row.account().twoFactor()) {
                throw new ConflictException("two-factor sign-in is on already; turn it off before setting up another"
                        + " app");
            }
            SecondFactors.NewSecret secret = secondFactors.newSecret(accountId);
            try {
                handle.createUpdate("""
                                UPDATE accounts SET totp_secret = :secret, totp_last_step = NULL
                                WHERE organization_id = :organization AND id = :account""")
                        .bind("secret", secret.sealed())
                        .bind("organization", access.organizationId())
                        .bind("account", accountId)
                        .execute();
                return secondFactors.setup(secret.secret(), row.organizationName(), row.account().email());
            } finally {
                Arrays.fill(secret.secret(), (byte) 0);
            }
        });
    }

    @Override
    public RecoveryCodes confirmTwoFactor(Actor actor, String code) {
        return guard.run(actor, Action.CONFIRM_TWO_FACTOR, subject(actor), (handle, access) -> {
            UUID accountId = own(access);
            Row row = row(handle, access, true);
            if (row.account().twoFactor()) {
                throw new ConflictException("two-factor sign-in is on already");
            }
            if (row.totpSecret().isEmpty()) {
                throw new InvalidRequestException("begin the set-up first");
            }
            // not counted as a failed sign-in: the secret was only just shown to this session, so a wrong code here
            // is a typo or a wrong clock on the phone, and guessing it would gain nothing
            OptionalLong step = secondFactors.verifyPending(row.totpSecret().get(), accountId, code);
            if (step.isEmpty()) {
                throw new InvalidRequestException("the code is not the one the app shows now; check that the phone's"
                        + " clock is right and try the next code");
            }
            handle.createUpdate("""
                            UPDATE accounts SET totp_enabled_at = :now, totp_last_step = :step
                            WHERE organization_id = :organization AND id = :account""")
                    .bind("now", clock.instant())
                    .bind("step", step.getAsLong())
                    .bind("organization", access.organizationId())
                    .bind("account", accountId)
                    .execute();
            // sessions opened with the password alone end: from now on this account signs in with both factors
            endOtherSessions(handle, access, accountId);
            return secondFactors.replaceRecoveryCodes(handle, access.organizationId(), accountId);
        });
    }

    @Override
    public void disableTwoFactor(Actor actor, String code) {
        countingWrongSecrets(actor, wrong -> guard.run(actor, Action.DISABLE_TWO_FACTOR, subject(actor),
                (handle, access) -> {
                    UUID accountId = own(access);
                    Row row = row(handle, access, true);
                    if (!row.account().twoFactor()) {
                        throw new InvalidRequestException("two-factor sign-in is not on");
                    }
                    if (row.twoFactorRequired(access.role())) {
                        throw new NotPermittedException("this organization requires two-factor sign-in for your role");
                    }
                    refuseWhileLocked(row);
                    if (secondFactors.verify(handle, row.enrolled(), code).isEmpty()) {
                        wrong.set(true);
                        throw new InvalidRequestException("the code is wrong or was used already");
                    }
                    handle.createUpdate("""
                                    UPDATE accounts SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL
                                    WHERE organization_id = :organization AND id = :account""")
                            .bind("organization", access.organizationId())
                            .bind("account", accountId)
                            .execute();
                    SecondFactors.deleteRecoveryCodes(handle, access.organizationId(), accountId);
                    return null;
                }));
    }

    @Override
    public RecoveryCodes regenerateRecoveryCodes(Actor actor, String code) {
        return countingWrongSecrets(actor, wrong -> guard.run(actor, Action.REGENERATE_RECOVERY_CODES,
                subject(actor), (handle, access) -> {
                    UUID accountId = own(access);
                    Row row = row(handle, access, true);
                    if (!row.account().twoFactor()) {
                        throw new InvalidRequestException("two-factor sign-in is not on");
                    }
                    refuseWhileLocked(row);
                    if (secondFactors.verify(handle, row.enrolled(), code).isEmpty()) {
                        wrong.set(true);
                        throw new InvalidRequestException("the code is wrong or was used already");
                    }
                    return secondFactors.replaceRecoveryCodes(handle, access.organizationId(), accountId);
                }));
    }

    /** A use case that checks a secret of the account; it sets the flag when the secret was wrong. */
    @FunctionalInterface
    private interface SecretCheck<T> {
        T run(AtomicBoolean wrong);
    }

    /**
     * Runs {@code check}; when it refused a wrong secret, counts a failed sign-in of the account in a transaction of
     * its own (the use case's rolled back with the refusal), so that a stolen session cannot guess the password or
     * codes unthrottled.
     */
    private <T> T countingWrongSecrets(Actor actor, SecretCheck<T> check) {
        AtomicBoolean wrong = new AtomicBoolean();
        try {
            return check.run(wrong);
        } catch (InvalidRequestException e) {
            if (wrong.get()) {
                countFailure(actor);
            }
            throw e;
        }
    }

    private void countFailure(Actor actor) {
        UUID organizationId = actor.organizationId();
        UUID accountId = actor.accountId().orElseThrow();
        try {
            jdbi.useTransaction(handle -> {
                Instant now = clock.instant();
                Optional<Instant> lockedUntil = handle.createQuery("""
                                SELECT locked_until FROM accounts WHERE organization_id = :organization AND id = :account
                                FOR UPDATE""")
                        .bind("organization", organizationId)
                        .bind("account", accountId)
                        .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant))
                        .findOne()
                        .flatMap(until -> until);
                AccountLock.countFailure(handle, guard, organizationId, accountId, now,
                        AccountLock.remaining(lockedUntil, now).isPresent());
            });
        } catch (JdbiException e) {
            // the answer stays the refusal of the wrong secret; the log says the count is missing
            LOG.error("could not count a wrong secret of account {}", accountId, e);
        }
    }

    private void refuseWhileLocked(Row row) {
        Optional<Duration> remaining = AccountLock.remaining(row.lockedUntil(), clock.instant());
        if (remaining.isPresent()) {
            throw new TooManyAttemptsException("too many wrong passwords or codes: your account is locked; try again in "
                    + Math.max(1, remaining.get().toSeconds()) + " s", remaining.get());
        }
    }

    /** The account and its organization as they are now; {@code forUpdate} locks the account row. */
    private static Row row(Handle handle, Access access, boolean forUpdate) {
        return handle.createQuery("SELECT " + prefixed() + ", o.name AS organization_name, o.require_two_factor,"
                        + " a.password_hash, a.locked_until, a.totp_secret, a.totp_last_step"
                        + " FROM accounts a JOIN organizations o ON o.id = a.organization_id"
                        + " WHERE a.organization_id = :organization AND a.id = :account"
                        + (forUpdate ? " FOR UPDATE OF a" : ""))
                .bind("organization", access.organizationId())
                .bind("account", access.actor().accountId().orElseThrow())
                .map((rs, ctx) -> new Row(DatabaseAccounts.ACCOUNT.map(rs, ctx), rs.getString("organization_name"),
                        rs.getBoolean("require_two_factor"), Optional.ofNullable(rs.getString("password_hash")),
                        Optional.ofNullable(rs.getObject("locked_until", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant),
                        Optional.ofNullable(rs.getBytes("totp_secret")),
                        rs.getObject("totp_last_step") == null ? OptionalLong.empty()
                                : OptionalLong.of(rs.getLong("totp_last_step"))))
                .one();
    }

    /** {@link DatabaseAccounts#COLUMNS} of the {@code a} alias. */
    private static String prefixed() {
        return String.join(", ", Arrays.stream(DatabaseAccounts.COLUMNS.split(",\\s*"))
                .map(column -> "a." + column).toList());
    }

    private void endOtherSessions(Handle handle, Access access, UUID accountId) {
        handle.createUpdate("""
                        DELETE FROM sessions WHERE organization_id = :organization AND account_id = :account
                        AND token_hash <> :keep""")
                .bind("organization", access.organizationId())
                .bind("account", accountId)
                .bind("keep", guard.sessionHash(access.actor()).orElseThrow())
                .execute();
    }

    /** The actor's own account; the host's operator has none (refused in the use case, so it is audited). */
    private static UUID own(Access access) {
        return access.actor().accountId().orElseThrow(() -> new NotPermittedException(
                "the host's operator has no account of its own; sign in to the portal as an account"));
    }

    private static Subject subject(Actor actor) {
        Objects.requireNonNull(actor, "actor");
        return Subject.of(actor.accountId().map(id -> "account " + id).orElse("no account (operator)"));
    }
}
