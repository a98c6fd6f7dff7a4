package com.xentracker.collector;

/**
 * A small state file in the data directory (the cached collection policy, the private-time pause) could not be read
 * or written. The message names the file, never its content.
 */
public final class LocalStateException extends CollectorException {

    public LocalStateException(String message) {
        super(message);
    }

    public LocalStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
