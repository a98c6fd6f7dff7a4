package com.xentracker.collector;

/** The local span buffer could not be opened, migrated, read or written. */
public final class SpanBufferException extends CollectorException {

    public SpanBufferException(String message) {
        super(message);
    }

    public SpanBufferException(String message, Throwable cause) {
        super(message, cause);
    }
}
