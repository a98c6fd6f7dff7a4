package com.xentracker.collector;

/**
 * Enrollment could not be started, stored or loaded on this device (already enrolled, unreadable files). Failures
 * of the server call itself are {@link com.xentracker.transport.TransportException}s.
 */
public final class EnrollmentException extends CollectorException {

    public EnrollmentException(String message) {
        super(message);
    }

    public EnrollmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
