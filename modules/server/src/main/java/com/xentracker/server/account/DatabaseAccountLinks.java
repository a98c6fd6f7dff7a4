package com.xentracker.server.account;

import com.xentracker.server.ConflictException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Guard;
import com.xentracker.server.audit.ActorKind;
import com.xentracker.server.audit.Outcome;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.PasswordHasher;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.database.DatabaseErrors;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time links in the {@code account_links} table: only the token's SHA-256 is stored (a database dump hands out no
 * working link), one link per account at a time (issuing one deletes the account's older ones), and a link is deleted
 * when it is used, so a second use finds nothing.
 */
final class DatabaseAccountLinks implements AccountLinks {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseAccountLinks.class);
    /** Expired links stay this long, so that their holders are told "expired" rather than "not valid". */
    static final Duration KEEP_EXPIRED = Duration.ofDays(30);

    static final String NOT_VALID = "this link is not valid: it was used already, replaced by a newer link, or ended"
            + " when the account was disabled or deleted; ask an owner of your organization for a new one";
    static final String EXPIRED = "this link has expired; ask an owner of your organization for a new one";

    private final Jdbi jdbi;
    private final Guard guard;
    private final PasswordHasher hasher;
    private final SecretTokens tokens;
    private final Supplier<URI> base;
    private final Clock clock;

    DatabaseAccountLinks(Jdbi jdbi, Guard guard, PasswordHasher hasher, SecretTokens tokens, Supplier<URI> base,
            Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.hasher = hasher;
        this.tokens = tokens;
        this.base = base;
        this.clock = clock;
    }

    /**
     * Issues a link for an account in the caller's transaction (an owner's use case), replacing any older link of the
     * account.
     */
    AccountLink issue(Handle handle, UUID organizationId, UUID accountId, AccountLink.Purpose purpose) {
        Objects.requireNonNull(purpose, "purpose");
        String token = tokens.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(purpose.lifetime());
        end(handle, organizationId, accountId);
        // links expired long ago only take room: swept whenever the organization issues a new one
        handle.createUpdate("""
                        DELETE FROM account_links WHERE organization_id = :organization AND expires_at < :before""")
                .bind("organization", organizationId)
                .bind("before", now.minus(KEEP_EXPIRED))
                .execute();
        handle.createUpdate("""
                        INSERT INTO account_links (organization_id, token_hash, account_id, purpose, created_at,
                                                   expires_at)
                        VALUES (:organization, :hash, :account, :purpose, :now, :expires)""")
                .bind("organization", organizationId)
                .bind("hash", SecretTokens.hash(token))
                .bind("account", accountId)
                .bind("purpose", purpose.name())
                .bind("now", now)
                .bind("expires", expires)
                .execute();
        URI at = Objects.requireNonNull(base.get(), "the server's address is known once it listens");
        return new AccountLink(accountId, purpose, token, AccountLink.linkAt(at, token), expires);
    }

    /** Ends every link of an account (it was disabled, or a new one replaces them), in the caller's transaction. */
    static int end(Handle handle, UUID organizationId, UUID accountId) {
        return handle.createUpdate(
                        "DELETE FROM account_links WHERE organization_id = :organization AND account_id = :account")
                .bind("organization", organizationId)
                .bind("account", accountId)
                .execute();
    }

    /** A link as stored, with the state of its account. */
    private record Found(UUID organizationId, UUID accountId, String email, Account.Status status,
            AccountLink.Purpose purpose, Instant expiresAt) {
    }

    @Override
    public LinkedAccount inspect(String token) {
        Found found = usable(find(token, false));
        return new LinkedAccount(found.email(), found.purpose(), found.expiresAt());
    }

    @Override
    public Account setPasswordWithLink(String token, char[] password) {
        DatabaseAccounts.checkPassword(password);
        // refuse a dead link before the costly hash: anyone may post here, and Argon2id is the expensive part
        Found before = find(token, false).filter(found -> found.status() != Account.Status.DISABLED)
                .orElseThrow(() -> new ConflictException(NOT_VALID));
        if (expired(before)) {
            try {
                jdbi.useTransaction(handle -> recordExpired(handle, before));
            } catch (JdbiException e) {
                throw DatabaseErrors.wrap(e, Action.SET_PASSWORD_BY_LINK.auditName());
            }
            throw new ConflictException(EXPIRED);
        }
        String hash = hasher.hash(password);
        byte[] tokenHash = SecretTokens.hash(token);
        /** The account with its new password, or why not: an expired link (recorded) or none usable. */
        record Done(Optional<Account> account, AccountLink.Purpose purpose, Optional<String> refusal) {
        }
        Done done;
        try {
            done = jdbi.inTransaction(handle -> {
                // FOR UPDATE: two uses of one link at once queue here, and the second finds it deleted
                Optional<Found> locked = find(handle, tokenHash, true);
                if (locked.isEmpty() || locked.get().status() == Account.Status.DISABLED) {
                    return new Done(Optional.empty(), null, Optional.of(NOT_VALID));
                }
                Found found = locked.get();
                if (expired(found)) {
                    recordExpired(handle, found);
                    return new Done(Optional.empty(), found.purpose(), Optional.of(EXPIRED));
                }
                Account account = handle.createQuery("""
                                UPDATE accounts SET password_hash = :hash, password_changed_at = :now,
                                    status = CASE WHEN status = 'INVITED' THEN 'ACTIVE' ELSE status END,
                                    failed_sign_ins = 0, locked_until = NULL
                                WHERE organization_id = :organization AND id = :account
                                RETURNING\s""" + DatabaseAccounts.COLUMNS)
                        .bind("hash", hash)
                        .bind("now", clock.instant())
                        .bind("organization", found.organizationId())
                        .bind("account", found.accountId())
                        .map(DatabaseAccounts.ACCOUNT)
                        .one();
                end(handle, found.organizationId(), found.accountId());
                // whoever held a session of the account before the new password holds none after it
                DatabaseAccounts.deleteSessions(handle, found.organizationId(), found.accountId());
                guard.record(handle, found.organizationId(), ActorKind.ANONYMOUS, Optional.of(found.accountId()),
                        Action.SET_PASSWORD_BY_LINK, subject(found), Outcome.SUCCESS);
                return new Done(Optional.of(account), found.purpose(), Optional.empty());
            });
        } catch (JdbiException e) {
            throw DatabaseErrors.wrap(e, Action.SET_PASSWORD_BY_LINK.auditName());
        }
        if (done.refusal().isPresent()) {
            throw new ConflictException(done.refusal().get());
        }
        Account account = done.account().orElseThrow();
        LOG.info("account {} set its password with a one-time link ({})", account.id(), done.purpose());
        return account;
    }

    private boolean expired(Found found) {
        return !clock.instant().isBefore(found.expiresAt());
    }

    /** An attempt too late is recorded, so that owners can see the person tried and issue a new link. */
    private void recordExpired(Handle handle, Found found) {
        guard.record(handle, found.organizationId(), ActorKind.ANONYMOUS, Optional.of(found.accountId()),
                Action.SET_PASSWORD_BY_LINK, subject(found).and("link expired"), Outcome.FAILED);
    }

    private static Subject subject(Found found) {
        return Subject.of("account " + found.accountId() + " ("
                + found.purpose().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
    }

    /** The link, if it can be used now. */
    private Found usable(Optional<Found> found) {
        if (found.isEmpty() || found.get().status() == Account.Status.DISABLED) {
            throw new ConflictException(NOT_VALID);
        }
        if (expired(found.get())) {
            throw new ConflictException(EXPIRED);
        }
        return found.get();
    }

    private Optional<Found> find(String token, boolean lock) {
        if (token == null || token.isEmpty() || token.length() > SecretTokens.MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return jdbi.withHandle(handle -> find(handle, SecretTokens.hash(token), lock));
        } catch (JdbiException e) {
            throw DatabaseErrors.wrap(e, "inspect-account-link");
        }
    }

    private static Optional<Found> find(Handle handle, byte[] tokenHash, boolean lock) {
        return handle.createQuery("""
                        SELECT l.organization_id, l.account_id, a.email, a.status, l.purpose, l.expires_at
                        FROM account_links l
                        JOIN accounts a ON a.organization_id = l.organization_id AND a.id = l.account_id
                        WHERE l.token_hash = :hash""" + (lock ? " FOR UPDATE OF l, a" : ""))
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Found(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        Account.Status.valueOf(rs.getString(4)), AccountLink.Purpose.valueOf(rs.getString(5)),
                        rs.getObject(6, OffsetDateTime.class).toInstant()))
                .findOne();
    }
}
