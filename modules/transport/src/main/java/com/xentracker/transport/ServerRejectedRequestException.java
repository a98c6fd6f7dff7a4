package com.xentracker.transport;

import com.xentracker.transport.wire.ErrorCode;
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

    /**
     * The error code from the server's {@code ErrorBody} as sent, e.g. {@code enrollment-token-unknown};
     * {@code unknown} when the answer had no error body. Prefer {@link #errorCode()} for decisions.
     */
    public String code() {
        return code;
    }

    /**
     * {@link #code()} as one of the codes this version knows; empty for a code it does not know (a newer server's, or
     * an answer without an error body), which callers treat like any other failure they may retry.
     */
    public Optional<ErrorCode> errorCode() {
        return ErrorCode.of(code);
    }
}
