package com.xentracker.transport;

import java.util.Objects;

/** The server answered with a non-2xx status; {@link #code()} is the machine-readable code of its error body. */
public final class ServerRejectedRequestException extends TransportException {

    private final int status;
    private final String code;

    public ServerRejectedRequestException(int status, String code, String message) {
        super("server rejected the request with HTTP " + status + " (" + code + "): " + message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The error code from the server's {@code ErrorBody}, e.g. {@code invalid-token}. */
    public String code() {
        return code;
    }
}
