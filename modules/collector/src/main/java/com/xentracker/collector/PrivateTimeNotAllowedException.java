package com.xentracker.collector;

/** The employee asked for private time, but the organization's collection policy does not allow it. */
public final class PrivateTimeNotAllowedException extends CollectorException {

    public PrivateTimeNotAllowedException(String message) {
        super(message);
    }
}
