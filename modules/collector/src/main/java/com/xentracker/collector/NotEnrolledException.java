package com.xentracker.collector;

/** The agent was asked to run, but this device has not been enrolled (no enrollment in the data directory). */
public final class NotEnrolledException extends CollectorException {

    public NotEnrolledException(String message) {
        super(message);
    }
}
