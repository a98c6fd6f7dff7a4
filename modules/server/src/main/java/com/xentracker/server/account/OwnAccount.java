package com.xentracker.server.account;

import com.xentracker.server.access.Actor;

/**
 * What every signed-in account may do with itself, whatever its role, and also while its organization requires
 * two-factor sign-in that it has not set up yet: see its state and recent sign-ins, change its password, and set up,
 * turn off or renew two-factor sign-in. Every call is audit-logged. The host's operator has no account of its own and
 * is refused.
 *
 * <p>Whatever checks a secret of the account here (the current password, a code) counts a wrong one as a failed
 * sign-in of the account, so a stolen session cannot be used to guess them: after five the account is locked like
 * after five wrong passwords at sign-in, and these calls are refused with
 * {@link com.xentracker.server.TooManyAttemptsException} until the lock ends.
 */
public interface OwnAccount {

    /** How many of the account's newest sign-in attempts {@link #view} shows. */
    int RECENT_SIGN_INS = 20;

    /**
     * The account's e-mail address, role, two-factor state and its newest sign-in attempts; while a set-up is pending,
     * also what the authenticator app needs.
     */
    AccountOverview view(Actor actor);

    /**
     * Changes the account's password. Ends the account's other sessions (the one making the change stays signed in):
     * whoever knew the old password is signed out everywhere else. The arrays are not kept.
     *
     * @throws com.xentracker.server.InvalidRequestException   when {@code currentPassword} is wrong (counted as a
     *                                                          failed sign-in) or the new one is shorter than
     *                                                          {@value AccountServices#MIN_PASSWORD_LENGTH}
     *                                                          characters
     * @throws com.xentracker.server.TooManyAttemptsException while the account is locked
     */
    void changePassword(Actor actor, char[] currentPassword, char[] newPassword);

    /**
     * Begins setting up two-factor sign-in: a new secret, pending until {@link #confirmTwoFactor confirmed}; what the
     * authenticator app needs is shown once. Beginning again replaces a pending secret.
     *
     * @throws com.xentracker.server.ConflictException when two-factor sign-in is on already (turn it off first)
     */
    TwoFactorSetup beginTwoFactorSetup(Actor actor);

    /**
     * Turns two-factor sign-in on with a code from the app just set up, and returns the account's ten recovery codes
     * (shown this once). Ends the account's other sessions, which were opened without the second factor.
     *
     * @throws com.xentracker.server.InvalidRequestException when the code is wrong or no set-up is pending
     */
    RecoveryCodes confirmTwoFactor(Actor actor, String code);

    /**
     * Turns two-factor sign-in off; needs a current code from the app or an unused recovery code.
     *
     * @throws com.xentracker.server.NotPermittedException    when the organization requires it for the account's role
     * @throws com.xentracker.server.InvalidRequestException  when the code is wrong or used already (counted as a
     *                                                         failed sign-in)
     * @throws com.xentracker.server.TooManyAttemptsException while the account is locked
     */
    void disableTwoFactor(Actor actor, String code);

    /**
     * Replaces all the account's recovery codes with ten new ones (shown this once); needs a current code from the
     * app or an unused recovery code.
     *
     * @throws com.xentracker.server.InvalidRequestException  when two-factor sign-in is off, or the code is wrong or
     *                                                         used already (counted as a failed sign-in)
     * @throws com.xentracker.server.TooManyAttemptsException while the account is locked
     */
    RecoveryCodes regenerateRecoveryCodes(Actor actor, String code);
}
