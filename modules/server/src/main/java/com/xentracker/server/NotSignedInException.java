package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The session behind a request is not live any more: it expired, was signed out or ended by an owner, or its account
 * was disabled or deleted. Checked in the same transaction as every use case, so a disabled account stops at once,
 * also in requests already under way.
 */
public final class NotSignedInException extends XentrackerServerException {

    public NotSignedInException() {
        super(ErrorCode.NOT_SIGNED_IN, "the session has ended; sign in again");
    }
}
