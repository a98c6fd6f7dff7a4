package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.time.Duration;
import java.util.Objects;

/**
 * Too many failed sign-ins from this source address (or, for a signed-in account's own password and codes, of the
 * account): none is checked until {@link #retryAfter()} has passed.
 */
public final class TooManyAttemptsException extends XentrackerServerException {

    private final Duration retryAfter;

    /** The source address is locked. */
    public TooManyAttemptsException(Duration retryAfter) {
        this("too many failed sign-ins from this address; try again in " + Math.max(1, retryAfter.toSeconds())
                + " s", retryAfter);
    }

    /** Locked for another reason, which {@code message} names (no secrets or personal data in it). */
    public TooManyAttemptsException(String message, Duration retryAfter) {
        super(ErrorCode.TOO_MANY_ATTEMPTS, message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
