package com.xentracker.server.account;

import java.time.Instant;
import java.util.Objects;

/**
 * One sign-in attempt on an account, as its owner sees it on their own page.
 *
 * @param sourceAddress the client's address as the front end saw it (behind a reverse proxy listed in {@code trusted-proxies}, the client's address the proxy forwarded; behind any other proxy, the proxy's)
 */
public record SignInAttempt(Instant occurredAt, String sourceAddress, Outcome outcome) {

    /** How the attempt ended. */
    public enum Outcome {
        /** Signed in (with the password and, when set up, a code from the authenticator app). */
        SIGNED_IN,
        /** Signed in with a recovery code as the second factor (that code now works no more). */
        RECOVERY_CODE_USED,
        WRONG_PASSWORD,
        /** The password was right, the code or recovery code was not. */
        WRONG_SECOND_FACTOR,
        /** Refused unchecked: the account was locked after too many failures. */
        LOCKED
    }

    public SignInAttempt {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether someone got in. */
    public boolean succeeded() {
        return outcome == Outcome.SIGNED_IN || outcome == Outcome.RECOVERY_CODE_USED;
    }
}
