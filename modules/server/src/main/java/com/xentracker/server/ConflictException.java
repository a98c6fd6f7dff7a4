package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The change contradicts the current state: a name is taken, the organization's last owner would be demoted, an
 * invitation link was used already. Repeating it unchanged fails again.
 */
public final class ConflictException extends XentrackerServerException {

    public ConflictException(String message) {
        super(ErrorCode.CONFLICT, message);
    }
}
