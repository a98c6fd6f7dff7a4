package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;
import java.util.Locale;
import java.util.Objects;

/**
 * An enrollment token cannot be used. The reason is told to the agent (and so to the person installing it) because
 * it says what to do next; it reveals nothing useful to someone who does not hold the token, which has 256 random
 * bits.
 */
public final class InvalidEnrollmentTokenException extends XentrackerServerException {

    /** Why the token was refused. */
    public enum Reason {
        /** No token has this value. */
        UNKNOWN,
        /** The token's time to live has passed. */
        EXPIRED,
        /** An administrator revoked the token. */
        REVOKED,
        /** The token was used as many times as it allows. */
        EXHAUSTED
    }

    private final Reason reason;

    public InvalidEnrollmentTokenException(Reason reason) {
        super(code(reason), "the enrollment token is " + Objects.requireNonNull(reason, "reason").name().toLowerCase(Locale.ROOT)
                + (reason == Reason.UNKNOWN ? "" : "; ask an administrator for a new one"));
        this.reason = reason;
    }

    private static ErrorCode code(Reason reason) {
        return switch (Objects.requireNonNull(reason, "reason")) {
            case UNKNOWN -> ErrorCode.ENROLLMENT_TOKEN_UNKNOWN;
            case EXPIRED -> ErrorCode.ENROLLMENT_TOKEN_EXPIRED;
            case REVOKED -> ErrorCode.ENROLLMENT_TOKEN_REVOKED;
            case EXHAUSTED -> ErrorCode.ENROLLMENT_TOKEN_EXHAUSTED;
        };
    }

    public Reason reason() {
        return reason;
    }
}
