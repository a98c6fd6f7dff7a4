package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.time.Duration;
import java.util.Objects;

/** Too many failed sign-ins from this source address: none is checked until {@link #retryAfter()} has passed. */
public final class TooManyAttemptsException extends XentrackerServerException {

    private final Duration retryAfter;

    public TooManyAttemptsException(Duration retryAfter) {
        super(ErrorCode.TOO_MANY_ATTEMPTS, "too many failed sign-ins from this address; try again in "
                + Math.max(1, retryAfter.toSeconds()) + " s");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
