package com.xentracker.server;

/**
 * The server module's one unchecked exception family. Checked exceptions of the JDK, JDBC, Flyway and embedded
 * PostgreSQL are wrapped at the module boundary into one of the final subclasses. The HTTP layer maps each subclass to
 * a status and a stable error code in one place.
 *
 * <p>Messages never contain tokens, keys, passwords or payload bytes: they may reach a log or an HTTP client.
 */
public abstract class XentrackerServerException extends RuntimeException {

    protected XentrackerServerException(String message) {
        super(message);
    }

    protected XentrackerServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
