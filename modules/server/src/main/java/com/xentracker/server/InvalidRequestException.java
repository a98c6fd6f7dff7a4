package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/** A request's parameters are malformed or out of range (a bad UUID, a negative sequence, an over-long field, ...). */
public final class InvalidRequestException extends XentrackerServerException {

    public InvalidRequestException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }
}
