package com.xentracker.server.account;

import com.xentracker.server.DuplicateAccountException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.database.DatabaseErrors;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Portal accounts in the {@code accounts} table, passwords as Argon2id hashes. */
final class DatabaseAccounts implements Accounts {

    static final int MAX_PASSWORD_LENGTH = 1024;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");

    static final String COLUMNS = "organization_id, id, email, role, status, totp_enabled_at, created_at";

    static final RowMapper<Account> ACCOUNT = (rs, ctx) -> new Account(rs.getObject("id", UUID.class),
            rs.getObject("organization_id", UUID.class), rs.getString("email"), Role.valueOf(rs.getString("role")),
            Account.Status.valueOf(rs.getString("status")), rs.getObject("totp_enabled_at") != null,
            rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final Guard guard;
    private final PasswordHasher hasher;
    private final Clock clock;

    DatabaseAccounts(Guard guard, PasswordHasher hasher, Clock clock) {
        this.guard = guard;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public List<Account> list(Actor actor) {
        return guard.run(actor, Action.VIEW_ACCOUNTS, Subject.of("accounts"), (handle, access) -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM accounts WHERE organization_id = :organization ORDER BY email, id")
                .bind("organization", access.organizationId())
                .map(ACCOUNT)
                .list());
    }

    /** Creates an active account with a password inside the caller's transaction. */
    Account create(Handle handle, UUID organizationId, String email, char[] password, Role role) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(role, "role");
        String address = checkedEmail(email);
        checkPassword(password);
        Account account = new Account(UUID.randomUUID(), organizationId, address, role, Account.Status.ACTIVE, false,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        try {
            handle.createUpdate("""
                    INSERT INTO accounts (organization_id, id, email, role, status, password_hash, created_at,
                                          password_changed_at)
                    VALUES (:organization, :id, :email, :role, 'ACTIVE', :hash, :now, :now)""")
                    .bind("organization", account.organizationId())
                    .bind("id", account.id())
                    .bind("email", account.email())
                    .bind("role", role.name())
                    .bind("hash", hasher.hash(password))
                    .bind("now", account.createdAt())
                    .execute();
        } catch (UnableToExecuteStatementException e) {
            if (DatabaseErrors.isUniqueViolation(e)) {
                throw new DuplicateAccountException();
            }
            throw e;
        }
        return account;
    }

    static String checkedEmail(String email) {
        if (email == null || !EMAIL.matcher(email.strip()).matches()) {
            throw new InvalidRequestException("an email address looks like name@example.org");
        }
        return normalize(email);
    }

    static void checkPassword(char[] password) {
        if (password == null || password.length < AccountServices.MIN_PASSWORD_LENGTH
                || password.length > MAX_PASSWORD_LENGTH) {
            throw new InvalidRequestException("a password has between " + AccountServices.MIN_PASSWORD_LENGTH
                    + " and " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
