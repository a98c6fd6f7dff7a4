package com.xentracker.transport;

/** The server could not be reached: connection refused, TLS handshake failure (e.g. an untrusted certificate), timeout. */
public final class ServerUnreachableException extends TransportException {

    public ServerUnreachableException(String message) {
        super(message);
    }

    public ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
