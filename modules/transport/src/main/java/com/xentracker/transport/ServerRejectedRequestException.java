package com.xentracker.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The server answered with a non-2xx status; {@link #code()} is the machine-readable code of its error body. */
public final class ServerRejectedRequestException extends TransportException {

    private final int status;
    private final String code;
    private final Duration retryAfter; // null: the server did not say

    public ServerRejectedRequestException(int status, String code, String message) {
        this(status, code, message, Optional.empty());
    }

    public ServerRejectedRequestException(int status, String code, String message, Optional<Duration> retryAfter) {
        super("server rejected the request with HTTP " + status + " (" + code + "): " + message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter").orElse(null);
    }

    /** The server's {@code Retry-After} (seconds or an HTTP date, turned into a delay), if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
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
