package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The server has as many batches in progress as its database can take; the client should retry after a while
 * instead of the server queuing without bound. Answered with 503 and {@code Retry-After}.
 */
public final class ServerBusyException extends XentrackerServerException {

    public ServerBusyException(String message) {
        super(ErrorCode.SERVER_BUSY, message);
    }
}
