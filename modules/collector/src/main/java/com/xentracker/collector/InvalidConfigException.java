package com.xentracker.collector;

/** A configuration value is missing, malformed or out of range; the message names the key. */
public final class InvalidConfigException extends CollectorException {

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
