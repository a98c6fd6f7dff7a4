package com.xentracker.server.account;

import com.xentracker.server.access.Role;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What a signed-in account sees of itself on its own page.
 *
 * @param twoFactorRequired whether the organization requires two-factor sign-in for this account's role (then it
 *                          cannot be turned off, and until it is on the account may do nothing but manage itself)
 * @param recoveryCodesLeft how many of its recovery codes are still unused
 * @param recentSignIns     its newest sign-in attempts (at most {@link OwnAccount#RECENT_SIGN_INS}), newest first
 * @param pendingSetup      while a set-up is {@link TwoFactor#PENDING}: what the authenticator app needs, so that the
 *                          page can show it until it is confirmed (the secret protects nothing yet)
 */
public record AccountOverview(UUID accountId, String email, Role role, TwoFactor twoFactor,
        boolean twoFactorRequired, int recoveryCodesLeft, List<SignInAttempt> recentSignIns,
        Optional<TwoFactorSetup> pendingSetup) {

    /** Where the account is with two-factor sign-in. */
    public enum TwoFactor {
        /** Signs in with the password alone. */
        OFF,
        /** A set-up was begun but not confirmed with a code: still signs in with the password alone. */
        PENDING,
        /** Signs in with the password and a code from the authenticator app (or a recovery code). */
        ON
    }

    public AccountOverview {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(twoFactor, "twoFactor");
        recentSignIns = List.copyOf(recentSignIns);
        Objects.requireNonNull(pendingSetup, "pendingSetup");
    }
}
