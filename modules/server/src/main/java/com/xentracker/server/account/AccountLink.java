package com.xentracker.server.account;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A one-time link an owner hands to a person, who sets the account's password with it before signing in: an
 * invitation, or a new password after a reset. The server keeps only the token's SHA-256, so this is the only time the
 * link can be shown; a newer link for the same account replaces it.
 *
 * @param token     256 random bits, URL-safe; the secret part of the link
 * @param link      where the person opens it: the server's address, {@value AccountLinks#SETUP_PATH} and the token
 * @param expiresAt when it stops working, used or not
 */
public record AccountLink(UUID accountId, Purpose purpose, String token, URI link, Instant expiresAt) {

    /** What a link is for, and how long it lives. */
    public enum Purpose {
        /**
         * Sets the first password of an invited account and activates it. A week: the person may be away, and the
         * account can do nothing until then.
         */
        INVITATION(Duration.ofDays(7)),
        /**
         * Sets a new password after an owner reset the old one. A day: the account is active and its owner-issued
         * credential should not lie around.
         */
        PASSWORD_RESET(Duration.ofHours(24));

        private final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }

        public Duration lifetime() {
            return lifetime;
        }
    }

    public AccountLink {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * The same link at another address of the server (the command line runs the server on a spare port and prints
     * the link for the address {@code serve} listens on).
     *
     * @param base the server's address, e.g. {@code https://tracker.example.org:8443/}
     */
    public URI at(URI base) {
        return linkAt(base, token);
    }

    static URI linkAt(URI base, String token) {
        // the token is base64url: nothing in it needs escaping in a query
        return Objects.requireNonNull(base, "base")
                .resolve(AccountLinks.SETUP_PATH + "?" + AccountLinks.TOKEN_PARAMETER + "=" + token);
    }

    /** Never shows the token or the link. */
    @Override
    public String toString() {
        return "AccountLink[" + purpose + " for account " + accountId + " until " + expiresAt + "]";
    }
}
