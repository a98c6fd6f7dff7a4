package com.xentracker.server.signin;

import com.xentracker.server.account.Account;
import com.xentracker.server.account.Sessions;
import com.xentracker.server.crypto.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Portal sessions in the {@code sessions} table, so that any server node can serve any request. A session lasts 12
 * hours from sign-in, a working day, whatever happens in between; only the token's SHA-256 is stored.
 */
public final class DatabaseSessions implements Sessions {

    public static final Duration LIFETIME = Duration.ofHours(12);

    private final Jdbi jdbi;
    private final SecretTokens tokens;
    private final Clock clock;

    private DatabaseSessions(Jdbi jdbi, SecretTokens tokens, Clock clock) {
        this.jdbi = jdbi;
        this.tokens = tokens;
        this.clock = clock;
    }

    public static DatabaseSessions create(Jdbi jdbi, SecretTokens tokens, Clock clock) {
        return new DatabaseSessions(jdbi, tokens, clock);
    }

    @Override
    public String open(Account account) {
        Objects.requireNonNull(account, "account");
        String token = tokens.generate();
        Instant now = clock.instant();
        jdbi.useTransaction(handle -> {
            // sessions are short; sweeping the account's expired ones here keeps the table from growing
            handle.createUpdate("""
                    DELETE FROM sessions WHERE organization_id = :organization AND account_id = :account
                    AND expires_at <= :now""")
                    .bind("organization", account.organizationId())
                    .bind("account", account.id())
                    .bind("now", now)
                    .execute();
            handle.createUpdate("""
                    INSERT INTO sessions (organization_id, token_hash, account_id, created_at, expires_at)
                    VALUES (:organization, :hash, :account, :now, :expires)""")
                    .bind("organization", account.organizationId())
                    .bind("hash", SecretTokens.hash(token))
                    .bind("account", account.id())
                    .bind("now", now)
                    .bind("expires", now.plus(LIFETIME))
                    .execute();
        });
        return token;
    }

    @Override
    public Optional<Account> resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > SecretTokens.MAX_LENGTH) {
            return Optional.empty();
        }
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT a.organization_id, a.id, a.email, a.role
                        FROM sessions s
                        JOIN accounts a ON a.organization_id = s.organization_id AND a.id = s.account_id
                        WHERE s.token_hash = :hash AND s.expires_at > :now""")
                .bind("hash", SecretTokens.hash(token))
                .bind("now", clock.instant())
                .map(DatabaseAccounts.ACCOUNT)
                .findOne());
    }

    @Override
    public void close(String token) {
        if (token == null || token.isEmpty() || token.length() > SecretTokens.MAX_LENGTH) {
            return;
        }
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM sessions WHERE token_hash = :hash")
                .bind("hash", SecretTokens.hash(token))
                .execute());
    }
}
