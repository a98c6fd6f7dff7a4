package com.xentracker.server;

import com.xentracker.transport.wire.ErrorCode;

/**
 * The organization requires two-factor sign-in for the acting account's role and the account has not set it up: until
 * it does, it may only manage its own account (set up two-factor sign-in, change its password, sign out).
 */
public final class TwoFactorSetupRequiredException extends XentrackerServerException {

    public TwoFactorSetupRequiredException() {
        super(ErrorCode.TWO_FACTOR_SETUP_REQUIRED,
                "this organization requires two-factor sign-in for your role: set it up on your account page first");
    }
}
