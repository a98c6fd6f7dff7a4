package com.xentracker.transport;

/**
 * The transport module's one unchecked exception family. Checked exceptions of the JDK, Bouncy Castle and Jackson
 * are wrapped at the module boundary into one of the final subclasses.
 *
 * <p>Messages never contain key material, tokens or payload bytes.
 */
public abstract class TransportException extends RuntimeException {

    protected TransportException(String message) {
        super(message);
    }

    protected TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
