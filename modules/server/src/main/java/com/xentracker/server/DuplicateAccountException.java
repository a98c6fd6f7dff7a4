package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/** An account with this email address exists already (email addresses are unique across organizations). */
public final class DuplicateAccountException extends XentrackerServerException {

    public DuplicateAccountException() {
        super(ErrorCode.ACCOUNT_EXISTS, "an account with this email address exists already");
    }
}
