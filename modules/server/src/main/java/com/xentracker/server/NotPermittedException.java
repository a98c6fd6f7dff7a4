package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The acting account's role does not allow the action, or not on this subject (a viewer outside its groups). The
 * refusal is written to the audit log (outcome {@code DENIED}) before this is thrown.
 */
public final class NotPermittedException extends XentrackerServerException {

    public NotPermittedException(String message) {
        super(ErrorCode.NOT_PERMITTED, message);
    }
}
