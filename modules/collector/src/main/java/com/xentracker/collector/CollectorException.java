package com.xentracker.collector;

/**
 * The collector's one unchecked exception family. Checked exceptions of the JDK, JDBC and JNA are wrapped at the
 * boundary into one of the final subclasses. Failures of the server connection stay
 * {@link com.xentracker.transport.TransportException}s.
 *
 * <p>Messages never contain tokens, keys or window titles.
 */
public abstract class CollectorException extends RuntimeException {

    protected CollectorException(String message) {
        super(message);
    }

    protected CollectorException(String message, Throwable cause) {
        super(message, cause);
    }
}
