package com.xentracker.server.account;

import java.util.Optional;

/** Portal accounts. */
public interface Accounts {

    /**
     * Checks an email and password. The password array is not kept. Takes about the same time whether or not the
     * email exists, so that sign-in does not reveal which accounts exist.
     *
     * @return the account when the credentials are right, empty otherwise
     */
    Optional<Account> authenticate(String email, char[] password);
}
