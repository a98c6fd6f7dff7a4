package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/** A configuration value is missing, malformed or out of range. The message names the key. */
public final class InvalidConfigurationException extends XentrackerServerException {

    public InvalidConfigurationException(String message) {
        super(ErrorCode.INVALID_REQUEST, message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(ErrorCode.INVALID_REQUEST, message, cause);
    }
}
