package com.xentracker.transport;

/** A batch could not be signed or encrypted. */
public final class UnableToSealBatchException extends TransportException {

    public UnableToSealBatchException(String message) {
        super(message);
    }

    public UnableToSealBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
