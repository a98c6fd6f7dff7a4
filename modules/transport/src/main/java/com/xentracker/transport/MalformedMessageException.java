package com.xentracker.transport;

/** A wire message is not valid JSON or lacks required fields. */
public final class MalformedMessageException extends TransportException {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
