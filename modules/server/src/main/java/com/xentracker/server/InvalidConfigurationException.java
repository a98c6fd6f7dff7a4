package com.xentracker.server;

/** A configuration value is missing, malformed or out of range. The message names the key. */
public final class InvalidConfigurationException extends XentrackerServerException {

    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
