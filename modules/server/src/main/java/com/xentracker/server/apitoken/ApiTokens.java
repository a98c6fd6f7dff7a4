package com.xentracker.server.apitoken;

import com.xentracker.server.access.Actor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Personal API tokens: an account's own credentials for scripts that export data ({@code curl -H 'Authorization:
 * Bearer ...'}). A token acts as its account with the account's role as it is at each request, but opens only the
 * actions {@link com.xentracker.server.access.Action#openToApiTokens() open to tokens} (the CSV exports): it is
 * read-only. Only its SHA-256 is stored; it expires, can be revoked, and stops at once when its account is disabled.
 */
public interface ApiTokens {

    /** What every token starts with, so that secret scanners and people recognize one. */
    String PREFIX = "xtk_";
    /** The longest a token may live. */
    Duration MAX_LIFETIME = Duration.ofDays(365);

    /**
     * Creates a token of the actor's own account, returned this once.
     *
     * @param name what it is for (1 to 100 characters, no control characters)
     * @throws com.xentracker.server.InvalidRequestException for a lifetime outside 1 hour to 365 days or a bad name
     */
    IssuedApiToken create(Actor actor, String name, Duration lifetime);

    /** The actor's own tokens, newest first (never the tokens themselves). */
    List<ApiToken> list(Actor actor);

    /**
     * Revokes one of the actor's own tokens; revoking again changes nothing.
     *
     * @throws com.xentracker.server.NotFoundException when the actor's account has no such token
     */
    void revoke(Actor actor, UUID tokenId);

    /**
     * The account behind a live token (not expired or revoked, its account active), and marks the token used. Not
     * audited by itself: what the token is then used for is.
     */
    Optional<Actor> resolve(String token);
}
