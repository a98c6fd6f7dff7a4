package com.xentracker.server.account;

import java.util.Objects;

/**
 * A one-time link just issued for an account (an invitation, or a password reset), with the account as it is after
 * the change: the front end shows both once.
 */
public record IssuedLink(Account account, AccountLink link) {

    public IssuedLink {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(link, "link");
        if (!link.accountId().equals(account.id())) {
            throw new IllegalArgumentException("a link is issued for its own account");
        }
    }
}
