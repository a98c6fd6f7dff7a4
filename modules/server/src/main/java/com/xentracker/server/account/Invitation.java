package com.xentracker.server.account;

import java.util.Objects;

/**
 * An invited account (status {@link Account.Status#INVITED}, no password yet) and the one-time link with which the
 * person sets a password and activates it.
 */
public record Invitation(Account account, AccountLink link) {

    public Invitation {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(link, "link");
        if (!link.accountId().equals(account.id()) || link.purpose() != AccountLink.Purpose.INVITATION) {
            throw new IllegalArgumentException("an invitation's link is the invited account's invitation link");
        }
    }
}
