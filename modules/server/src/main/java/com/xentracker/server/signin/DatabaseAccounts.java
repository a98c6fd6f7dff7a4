package com.xentracker.server.signin;

import com.xentracker.server.DuplicateAccountException;
import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.account.Account;
import com.xentracker.server.account.Accounts;
import com.xentracker.server.account.Role;
import com.xentracker.server.crypto.PasswordHasher;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Portal accounts in the {@code accounts} table, passwords as Argon2id hashes. */
public final class DatabaseAccounts implements Accounts {

    /** Long enough to resist guessing without a second factor; a generated one is longer. */
    public static final int MIN_PASSWORD_LENGTH = 12;
    private static final int MAX_PASSWORD_LENGTH = 1024;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
    private static final String UNIQUE_VIOLATION = "23505";

    static final RowMapper<Account> ACCOUNT = (rs, ctx) -> new Account(rs.getObject("id", UUID.class),
            rs.getObject("organization_id", UUID.class), rs.getString("email"), Role.valueOf(rs.getString("role")));

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;

    private DatabaseAccounts(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.clock = clock;
    }

    public static DatabaseAccounts create(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        return new DatabaseAccounts(jdbi, hasher, clock);
    }

    @Override
    public Optional<Account> authenticate(String email, char[] password) {
        Objects.requireNonNull(password, "password");
        Optional<String> normalized = Optional.ofNullable(email).map(DatabaseAccounts::normalize);
        record Row(Account account, String hash) {
        }
        Optional<Row> row = normalized.flatMap(address -> jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT organization_id, id, email, role, password_hash FROM accounts WHERE email = :email")
                .bind("email", address)
                .map((rs, ctx) -> new Row(ACCOUNT.map(rs, ctx), rs.getString("password_hash")))
                .findOne()));
        // an unknown email is checked against a decoy hash, so it takes as long as a wrong password
        boolean matches = password.length <= MAX_PASSWORD_LENGTH && hasher.verify(row.map(Row::hash), password);
        return matches ? row.map(Row::account) : Optional.empty();
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
