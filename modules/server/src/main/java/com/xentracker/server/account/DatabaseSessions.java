package com.xentracker.server.account;

import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Portal sessions in the {@code sessions} table, so that any server node can serve any request. A session lasts 12
 * hours from sign-in, a working day, whatever happens in between; only the token's SHA-256 is stored.
 */
final class DatabaseSessions implements Sessions {

    static final Duration LIFETIME = Duration.ofHours(12);

    private final Jdbi jdbi;
    private final Guard guard;
    private final SecretTokens tokens;
    private final Clock clock;

    DatabaseSessions(Jdbi jdbi, Guard guard, SecretTokens tokens, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Opens a session for an account that just signed in, in the sign-in's transaction. */
    SignIn.SignedIn open(Handle handle, Account account) {
        Objects.requireNonNull(account, "account");
        String token = tokens.generate();
        byte[] hash = SecretTokens.hash(token);
        Instant now = clock.instant();
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
                .bind("hash", hash)
                .bind("account", account.id())
                .bind("now", now)
                .bind("expires", now.plus(LIFETIME))
                .execute();
        boolean detail = handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM viewer_grants WHERE organization_id = :organization
                                       AND account_id = :account AND individual_detail)""")
                .bind("organization", account.organizationId())
                .bind("account", account.id())
                .mapTo(Boolean.class)
                .one();
        return new SignIn.SignedIn(token, guard.signedIn(account.organizationId(), account.id(), account.email(),
                account.role(), hash, detail));
    }

    @Override
    public Optional<Actor> resolve(String token) {
        if (!plausible(token)) {
            return Optional.empty();
        }
        byte[] hash = SecretTokens.hash(token);
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT a.organization_id, a.id, a.email, a.role,
                               EXISTS (SELECT 1 FROM viewer_grants g WHERE g.organization_id = a.organization_id
                                       AND g.account_id = a.id AND g.individual_detail) AS detail
                        FROM sessions s
                        JOIN accounts a ON a.organization_id = s.organization_id AND a.id = s.account_id
                        WHERE s.token_hash = :hash AND s.expires_at > :now AND a.status = 'ACTIVE'""")
                .bind("hash", hash)
                .bind("now", clock.instant())
                .map((rs, ctx) -> guard.signedIn(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), Role.valueOf(rs.getString(4)), hash, rs.getBoolean(5)))
                .findOne());
    }

    @Override
    public void close(String token) {
        Optional<Actor> actor = resolve(token);
        if (actor.isEmpty()) {
            return;
        }
        guard.run(actor.get(), Action.SIGN_OUT, Subject.none(), (handle, access) -> handle.createUpdate(
                        "DELETE FROM sessions WHERE organization_id = :organization AND token_hash = :hash")
                .bind("organization", access.organizationId())
                .bind("hash", SecretTokens.hash(token))
                .execute());
    }

    private static boolean plausible(String token) {
        return token != null && !token.isEmpty() && token.length() <= SecretTokens.MAX_LENGTH;
    }
}
