package com.xentracker.server.signin;

import com.xentracker.server.DuplicateAccountException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.Role;
import com.xentracker.server.auditing.DatabaseAuditLog;
import com.xentracker.server.crypto.PasswordHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Portal accounts in the {@code accounts} table, passwords as Argon2id hashes. */
public final class DatabaseAccounts implements Accounts {

    /** Long enough to resist guessing without a second factor; a generated one is longer. */
    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final int MAX_PASSWORD_LENGTH = 1024;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
    private static final String UNIQUE_VIOLATION = "23505";

    static final RowMapper<Account> ACCOUNT = (rs, ctx) -> new Account(rs.getObject("id", UUID.class),
            rs.getObject("organization_id", UUID.class), rs.getString("email"), Role.valueOf(rs.getString("role")));

    /** Failed sign-ins in a row before the account is locked; then each further failure locks it again. */
    static final int FREE_ATTEMPTS = 5;
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    static final Duration LONGEST_LOCK = Duration.ofHours(1);
    /** Audit actions; the subject is the account's id, never the email. */
    static final String SIGN_IN_FAILED = "sign-in-failed";
    static final String SIGN_IN_LOCKED = "sign-in-locked";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseAccounts.class);

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final DatabaseAuditLog audit;
    private final Clock clock;

    private DatabaseAccounts(Jdbi jdbi, PasswordHasher hasher, DatabaseAuditLog audit, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    public static DatabaseAccounts create(Jdbi jdbi, PasswordHasher hasher, DatabaseAuditLog audit, Clock clock) {
        return new DatabaseAccounts(jdbi, hasher, audit, clock);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also empty, whatever the password, while the account is locked after too many failures in a row (the
     * answer does not say which, so it reveals nothing). Every failure for an existing account is audit-logged.
     */
    @Override
    public Optional<Account> authenticate(String email, char[] password) {
        Objects.requireNonNull(password, "password");
        Optional<String> normalized = Optional.ofNullable(email).map(DatabaseAccounts::normalize);
        record Row(Account account, String hash, Optional<Instant> lockedUntil) {
        }
        Optional<Row> row = normalized.flatMap(address -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT organization_id, id, email, role, password_hash, locked_until FROM accounts"
                                + " WHERE email = :email")
                .bind("email", address)
                .map((rs, ctx) -> new Row(ACCOUNT.map(rs, ctx), rs.getString("password_hash"),
                        Optional.ofNullable(rs.getObject("locked_until", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .findOne()));
        // an unknown email is checked against a decoy hash, so it takes as long as a wrong password; so is a locked
        // account, so that the time taken does not tell a lock apart either
        boolean matches = password.length <= MAX_PASSWORD_LENGTH && hasher.verify(row.map(Row::hash), password);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Account account = row.get().account();
        Instant now = clock.instant();
        boolean locked = row.get().lockedUntil().filter(now::isBefore).isPresent();
        if (matches && !locked) {
            jdbi.useHandle(handle -> handle.createUpdate("""
                    UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL
                    WHERE organization_id = :organization AND id = :id AND failed_sign_ins > 0""")
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .execute());
            return Optional.of(account);
        }
        recordFailure(account, now, locked);
        return Optional.empty();
    }

    /** Counts the failure and locks the account when it is one too many; atomic across nodes (one UPDATE). */
    private void recordFailure(Account account, Instant now, boolean wasLocked) {
        jdbi.useTransaction(handle -> {
            int failures = handle.createQuery("""
                    UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1
                    WHERE organization_id = :organization AND id = :id
                    RETURNING failed_sign_ins""")
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .mapTo(Integer.class)
                    .one();
            String subject = "account " + account.id() + (wasLocked ? " (locked)" : "");
            audit.record(handle, account.organizationId(), Optional.empty(), SIGN_IN_FAILED, subject);
            if (failures >= FREE_ATTEMPTS && !wasLocked) {
                Duration lock = lockAfter(failures);
                handle.createUpdate("""
                        UPDATE accounts SET locked_until = :until
                        WHERE organization_id = :organization AND id = :id""")
                        .bind("until", now.plus(lock))
                        .bind("organization", account.organizationId())
                        .bind("id", account.id())
                        .execute();
                audit.record(handle, account.organizationId(), Optional.empty(), SIGN_IN_LOCKED,
                        "account " + account.id() + " for " + lock.toSeconds() + " s after " + failures
                                + " failed sign-ins");
                LOG.warn("account {} locked for {} s after {} failed sign-ins in a row", account.id(),
                        lock.toSeconds(), failures);
            }
        });
    }

    /** How long the account is locked after this many failed sign-ins in a row: 1 min after the 5th, doubling with
     *  each further one, at most 1 h. */
    public static Duration lockAfter(int failures) {
        int doublings = Math.min(failures - FREE_ATTEMPTS, 6); // 2^6 min > 1 h
        Duration lock = FIRST_LOCK.multipliedBy(1L << Math.max(0, doublings));
        return lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock;
    }

    /** Creates an account inside the caller's transaction. */
    public Account create(Handle handle, UUID organizationId, String email, char[] password, Role role) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
        if (email == null || !EMAIL.matcher(email.strip()).matches()) {
            throw new InvalidRequestException("an email address looks like name@example.org");
        }
        if (password == null || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
            throw new InvalidRequestException("a password has between " + MIN_PASSWORD_LENGTH + " and "
                    + MAX_PASSWORD_LENGTH + " characters");
        }
        Account account = new Account(UUID.randomUUID(), organizationId, normalize(email), role);
        try {
            handle.createUpdate("""
                    INSERT INTO accounts (organization_id, id, email, role, password_hash, created_at)
                    VALUES (:organization, :id, :email, :role, :hash, :now)""")
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .bind("email", account.email())
                    .bind("role", role.name())
                    .bind("hash", hasher.hash(password))
                    .bind("now", clock.instant())
                    .execute();
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof java.sql.SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new DuplicateAccountException();
            }
            throw e;
        }
        return account;
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
