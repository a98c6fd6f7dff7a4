package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/** The server could not start: the port is taken, PostgreSQL did not come up, a key file is unreadable, ... */
public final class ServerStartupException extends XentrackerServerException {

    public ServerStartupException(String message, Throwable cause) {
        super(ErrorCode.INTERNAL_ERROR, message, cause);
    }
}
