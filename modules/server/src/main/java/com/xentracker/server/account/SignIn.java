package com.xentracker.server.account;

import com.xentracker.server.access.Actor;
import java.util.Objects;

/**
 * Signing in to the portal. Failed attempts are counted per account (which is then locked for a while) and audited;
 * the answer never says whether the e-mail address exists, the password was wrong or the account is locked.
 */
public interface SignIn {

    /**
     * Checks an e-mail address and password. The password array is not kept. Takes about the same time whether or
     * not the address exists, so that sign-in does not reveal which accounts exist.
     *
     * @param sourceAddress where the attempt came from (the client's IP address), for throttling and the account's
     *                      sign-in history
     */
    Result withPassword(String email, char[] password, String sourceAddress);

    /** What a sign-in attempt led to. */
    sealed interface Result permits Refused, SignedIn {
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
}
