package com.xentracker.server.account;

import java.time.Instant;
import java.util.Objects;

/**
 * Using a one-time link ({@link AccountLink}) before signing in: the person who got an invitation or a password reset
 * from an owner sets the account's password. No actor: holding the link is the authority, and its use is audited as
 * an anonymous act on the account.
 *
 * <p>A link is refused, with {@link com.xentracker.server.ConflictException}, when it was used already, was replaced
 * by a newer link for the account or ended when the account was disabled or deleted, or has expired; the message says which
 * as far as the server can tell (a used link is gone, so it looks like one that never existed).
 */
public interface AccountLinks {

    /** Where a front end serves the page that uses a link; the server builds links to it. */
    String SETUP_PATH = "/account/setup";
    /** The query parameter (and form field) that carries the token. */
    String TOKEN_PARAMETER = "token";

    /**
     * What a link would set the password of, to show before the person chooses one. Changes nothing, audits nothing.
     *
     * @throws com.xentracker.server.ConflictException when the link cannot be used (see above)
     */
    LinkedAccount inspect(String token);

    /**
     * Sets the account's password, activates an invited account, and uses the link up (it and any other link of the
     * account stop working). The password array is not kept.
     *
     * @return the account as it is now (active unless an owner disabled it meanwhile, which ends its links anyway)
     * @throws com.xentracker.server.InvalidRequestException for a password shorter than 12 or longer than 1024
     *         characters (the link stays usable)
     * @throws com.xentracker.server.ConflictException       when the link cannot be used (see above)
     */
    Account setPasswordWithLink(String token, char[] password);

    /** The account a link is for: its e-mail address (the sign-in name the person will use) and the link's purpose. */
    record LinkedAccount(String email, AccountLink.Purpose purpose, Instant expiresAt) {

        public LinkedAccount {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
