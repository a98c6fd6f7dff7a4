package com.xentracker.collector;

/** A running probe could not take an observation (the X server stopped answering, the probe was closed). */
public final class ProbeFailedException extends CollectorException {

    public ProbeFailedException(String message) {
        super(message);
    }

    public ProbeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
