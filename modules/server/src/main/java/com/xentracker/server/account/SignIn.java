package com.xentracker.server.account;

import com.xentracker.server.access.Actor;
import java.util.Objects;

/**
 * Signing in to the portal: the password, then, for an account with two-factor sign-in, a code from its authenticator
 * app or one of its recovery codes. Failed attempts are counted per account (which is then locked for a while) and
 * per source address (which is then refused for a while, across all accounts), and audited; the answer never says
 * whether the e-mail address exists, the password was wrong or the account is locked.
 */
public interface SignIn {

    /**
     * Checks an e-mail address and password. The password array is not kept. Takes about the same time whether or
     * not the address exists, so that sign-in does not reveal which accounts exist.
     *
     * @param sourceAddress where the attempt came from (the client's IP address), for throttling and the account's
     *                      sign-in history
     * @return {@link SignedIn}, {@link SecondFactorRequired} when the password was right and the account signs in
     *         with a second factor, or {@link Refused}
     * @throws com.xentracker.server.TooManyAttemptsException while the source address is locked (nothing is checked)
     */
    Result withPassword(String email, char[] password, String sourceAddress);

    /**
     * The second step: a 6-digit code from the authenticator app or an unused recovery code, for the challenge that
     * {@link #withPassword} answered with. Each challenge is used once: a wrong code answers with a new
     * {@link SecondFactorRequired} (which expires when the first one would have, five minutes after the password), so
     * a typo does not need the password again; a wrong code counts as a failed sign-in of the account and of the
     * address, and a code is accepted only once (a replayed code is wrong).
     *
     * @return {@link SignedIn}; {@link SecondFactorRequired} with a new challenge after a wrong code; {@link Refused}
     *         when the challenge is unknown, used or expired, or the account is locked (sign in again)
     * @throws com.xentracker.server.TooManyAttemptsException while the source address is locked (nothing is checked)
     */
    Result withSecondFactor(String challenge, String code, String sourceAddress);

    /** What a sign-in attempt led to. */
    sealed interface Result permits Refused, SignedIn, SecondFactorRequired {
    }

    /** Wrong address, password or second factor, or a locked account: the attempt says no more. */
    record Refused() implements Result {
    }

    /**
     * Signed in: the session token (for a cookie: at least 256 random bits, URL-safe; the server keeps only its hash)
     * and the actor it stands for.
     */
    record SignedIn(String sessionToken, Actor actor) implements Result {

        public SignedIn {
            Objects.requireNonNull(sessionToken, "sessionToken");
            Objects.requireNonNull(actor, "actor");
        }

        /** Never shows the token. */
        @Override
        public String toString() {
            return "SignedIn[" + actor + "]";
        }
    }

    /**
     * The password was right; a second factor is needed before the session opens. The challenge (256 random bits,
     * URL-safe; the server keeps only its hash) stands for the right password for five minutes, for one attempt: hand
     * it back with the code to {@link #withSecondFactor}. Keep it where scripts cannot read it.
     */
    record SecondFactorRequired(String challenge) implements Result {

        public SecondFactorRequired {
            Objects.requireNonNull(challenge, "challenge");
        }

        /** Never shows the challenge. */
        @Override
        public String toString() {
            return "SecondFactorRequired[challenge hidden]";
        }
    }
}
