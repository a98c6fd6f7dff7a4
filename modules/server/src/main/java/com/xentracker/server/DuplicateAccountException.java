package com.xentracker.server;

/** An account with this email address exists already (email addresses are unique across organizations). */
public final class DuplicateAccountException extends XentrackerServerException {

    public DuplicateAccountException() {
        super("an account with this email address exists already");
    }
}
