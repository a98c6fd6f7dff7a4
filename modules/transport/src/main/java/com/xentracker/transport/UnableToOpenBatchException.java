package com.xentracker.transport;

/** A sealed batch could not be opened: tampered, encrypted for another key, signed by someone other than the expected device, or using an algorithm we do not accept. */
public final class UnableToOpenBatchException extends TransportException {

    public UnableToOpenBatchException(String message) {
        super(message);
    }

    public UnableToOpenBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
