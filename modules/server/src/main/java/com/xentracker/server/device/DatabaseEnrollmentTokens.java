package com.xentracker.server.device;

import com.xentracker.server.InvalidRequestException;
import com.xentracker.server.NotFoundException;
import com.xentracker.server.access.Action;
import com.xentracker.server.access.Actor;
import com.xentracker.server.access.Guard;
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

/** {@link EnrollmentTokens} over the database; only each token's SHA-256 is stored. */
final class DatabaseEnrollmentTokens implements EnrollmentTokens {

    private static final int MAX_NAME = 100;

    private final Guard guard;
    private final SecretTokens tokens;
    private final Clock clock;

    DatabaseEnrollmentTokens(Guard guard, SecretTokens tokens, Clock clock) {
        this.guard = guard;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public IssuedEnrollmentToken issue(Actor actor, String name, Duration lifetime, int maxDevices) {
        Objects.requireNonNull(lifetime, "lifetime");
        String label = name == null ? "" : name.strip();
        if (label.length() > MAX_NAME) {
            throw new InvalidRequestException("an enrollment token's name has at most " + MAX_NAME + " characters");
        }
        // the name is printed in terminals (token list) and pages: no escape sequences, line breaks or NULs
        if (label.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("an enrollment token's name must not contain control characters");
        }
        if (lifetime.isNegative() || lifetime.toSeconds() < 1 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new InvalidRequestException("an enrollment token lives between 1 second and 365 days");
        }
        if (maxDevices < 1 || maxDevices > MAX_DEVICES) {
            throw new InvalidRequestException("an enrollment token enrolls between 1 and " + MAX_DEVICES
                    + " devices");
        }
        String token = tokens.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        IssuedEnrollmentToken issued = new IssuedEnrollmentToken(UUID.randomUUID(), actor.organizationId(), label,
                token, now.plus(lifetime), maxDevices);
        return guard.run(actor, Action.ISSUE_ENROLLMENT_TOKEN, Subject.of("enrollment token " + issued.id()
                + " for " + maxDevices + " device(s) until " + issued.expiresAt()), (handle, access) -> {
                    TenantSql.update(handle, access.organizationId(), """
                                    INSERT INTO enrollment_tokens (organization_id, id, name, token_hash, created_at,
                                                                   expires_at, max_uses, issued_by_account_id)
                                    VALUES (:organization, :id, :name, :hash, :now, :expires, :maxUses,
                                            CAST(:issuedBy AS uuid))""")
                            .bind("id", issued.id())
                            .bind("name", label)
                            .bind("hash", SecretTokens.hash(token))
                            .bind("now", now)
                            .bind("expires", issued.expiresAt())
                            .bind("maxUses", maxDevices)
                            .bind("issuedBy", access.actor().accountId().map(UUID::toString).orElse(null))
                            .execute();
                    return issued;
                });
    }

    @Override
    public List<EnrollmentToken> list(Actor actor) {
        return guard.run(actor, Action.VIEW_ENROLLMENT_TOKENS, Subject.of("enrollment tokens"), (handle, access) ->
                TenantSql.query(handle, access.organizationId(), """
                                SELECT id, name, created_at, expires_at, max_uses, uses, revoked_at,
                                       issued_by_account_id
                                FROM enrollment_tokens WHERE organization_id = :organization
                                ORDER BY created_at DESC, id""")
                        .map((rs, ctx) -> new EnrollmentToken(rs.getObject("id", UUID.class), rs.getString("name"),
                                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                                rs.getInt("max_uses"), rs.getInt("uses"),
                                Optional.ofNullable(rs.getObject("revoked_at", OffsetDateTime.class))
                                        .map(OffsetDateTime::toInstant),
                                Optional.ofNullable(rs.getObject("issued_by_account_id", UUID.class))))
                        .list());
    }

    @Override
    public void revoke(Actor actor, UUID tokenId) {
        Objects.requireNonNull(tokenId, "tokenId");
        guard.run(actor, Action.REVOKE_ENROLLMENT_TOKEN, Subject.of("enrollment token " + tokenId),
                (handle, access) -> {
                    int found = TenantSql.update(handle, access.organizationId(), """
                                    UPDATE enrollment_tokens SET revoked_at = coalesce(revoked_at, :now)
                                    WHERE organization_id = :organization AND id = :id""")
                            .bind("now", clock.instant())
                            .bind("id", tokenId)
                            .execute();
                    if (found == 0) {
                        throw new NotFoundException("enrollment token " + tokenId);
                    }
                    return null;
                });
    }
}
