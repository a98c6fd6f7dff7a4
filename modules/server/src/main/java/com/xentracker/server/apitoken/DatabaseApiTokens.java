package com.xentracker.server.apitoken;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
import com.xentracker.server.access.Role;
import com.xentracker.server.audit.Subject;
import com.xentracker.server.crypto.SecretTokens;
import com.xentracker.server.rollup.TenantSql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@link ApiTokens} over the database; only each token's SHA-256 is stored. */
final class DatabaseApiTokens implements ApiTokens {

    private static final int MAX_NAME = 100;
    private static final Duration MIN_LIFETIME = Duration.ofHours(1);

    private final Jdbi jdbi;
    private final Guard guard;
    private final SecretTokens secrets;
    private final Clock clock;

    DatabaseApiTokens(Jdbi jdbi, Guard guard, SecretTokens secrets, Clock clock) {
        this.jdbi = jdbi;
        this.guard = guard;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public IssuedApiToken create(Actor actor, String name, Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > MAX_NAME) {
            throw new InvalidRequestException("an API token's name has 1 to " + MAX_NAME + " characters");
        }
        if (label.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("an API token's name must not contain control characters");
        }
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidRequestException("an API token lives between 1 hour and 365 days");
        }
        // tokens are personal: the operator (command line) has no account to give one to
        UUID account = actor.accountId().orElseThrow(() -> new InvalidRequestException(
                "API tokens belong to accounts; the operator has none"));
        String secret = PREFIX + secrets.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ApiToken token = new ApiToken(UUID.randomUUID(), label, now, now.plus(lifetime), Optional.empty(),
                Optional.empty());
        guard.run(actor, Action.CREATE_API_TOKEN, Subject.of("api token " + token.id() + " until "
                + token.expiresAt()), (handle, access) -> TenantSql.update(handle, access.organizationId(), """
                        INSERT INTO api_tokens (organization_id, id, account_id, name, token_hash, created_at,
                                                expires_at)
                        VALUES (:organization, :id, :account, :name, :hash, :now, :expires)""")
                .bind("id", token.id())
                .bind("account", account)
                .bind("name", label)
                .bind("hash", SecretTokens.hash(secret))
                .bind("now", now)
                .bind("expires", token.expiresAt())
                .execute());
        return new IssuedApiToken(token, secret);
    }

    @Override
    public List<ApiToken> list(Actor actor) {
        Optional<UUID> account = actor.accountId();
        return guard.run(actor, Action.VIEW_API_TOKENS, Subject.of("own api tokens"), (handle, access) ->
                account.isEmpty() ? List.<ApiToken>of() : TenantSql.query(handle, access.organizationId(), """
                                SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
                                WHERE organization_id = :organization AND account_id = :account
                                ORDER BY created_at DESC, id""")
                        .bind("account", account.get())
                        .map((rs, ctx) -> new ApiToken(rs.getObject("id", UUID.class), rs.getString("name"),
                                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                                Optional.ofNullable(rs.getObject("last_used_at", OffsetDateTime.class))
                                        .map(OffsetDateTime::toInstant),
                                Optional.ofNullable(rs.getObject("revoked_at", OffsetDateTime.class))
                                        .map(OffsetDateTime::toInstant)))
                        .list());
    }

    @Override
    public void revoke(Actor actor, UUID tokenId) {
        Objects.requireNonNull(tokenId, "tokenId");
        Optional<UUID> account = actor.accountId();
        guard.run(actor, Action.REVOKE_API_TOKEN, Subject.of("api token " + tokenId), (handle, access) -> {
            // one's own tokens only: another account's token of the same organization is "not found" too
            int found = account.isEmpty() ? 0 : TenantSql.update(handle, access.organizationId(), """
                            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, :now)
                            WHERE organization_id = :organization AND id = :id AND account_id = :account""")
                    .bind("now", clock.instant())
                    .bind("id", tokenId)
                    .bind("account", account.get())
                    .execute();
            if (found == 0) {
                throw new NotFoundException("api token " + tokenId);
            }
            return null;
        });
    }

    @Override
    public Optional<Actor> resolve(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > SecretTokens.MAX_LENGTH) {
            return Optional.empty();
        }
        byte[] hash = SecretTokens.hash(token);
        Instant now = clock.instant();
        // One statement: finds a live token of an active account and stamps its use. Guard reads both again in the
        // use case's own transaction, so a token revoked (or an account disabled) in between is refused there.
        return jdbi.withHandle(handle -> handle.createQuery("""
                        UPDATE api_tokens t SET last_used_at = :now
                        FROM accounts a
                        WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND t.expires_at > :now
                          AND a.organization_id = t.organization_id AND a.id = t.account_id AND a.status = 'ACTIVE'
                        RETURNING t.organization_id, t.account_id, a.email, a.role""")
                .bind("hash", hash)
                .bind("now", now)
                .map((rs, ctx) -> guard.apiToken(rs.getObject("organization_id", UUID.class),
                        rs.getObject("account_id", UUID.class), rs.getString("email"),
                        Role.valueOf(rs.getString("role")), hash))
                .findOne());
    }
}
