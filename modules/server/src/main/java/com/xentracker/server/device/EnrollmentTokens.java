package com.xentracker.server.device;

import com.xentracker.server.access.Actor;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Tokens with which devices enroll in the acting account's organization. Each call is checked against the account's
 * role and audit-logged by the server.
 */
public interface EnrollmentTokens {

    /** The longest a token may live. */
    Duration MAX_LIFETIME = Duration.ofDays(365);
    /** The most devices one token may enroll. */
    int MAX_DEVICES = 1_000_000;

    /**
     * Issues a token with which up to {@code maxDevices} devices may enroll within {@code lifetime}. The token is
     * returned only this once; the server keeps its hash.
     *
     * @param name what it is for (at most 100 characters, may be empty)
     * @throws com.xentracker.server.InvalidRequestException for a lifetime outside 1 s to 365 days, a device count
     *         outside 1 to 1,000,000 or an over-long name
     */
    IssuedEnrollmentToken issue(Actor actor, String name, Duration lifetime, int maxDevices);

    /** The organization's tokens, newest first (never the tokens themselves). */
    List<EnrollmentToken> list(Actor actor);

    /**
     * Revokes a token: no device can enroll with it any more; devices already enrolled stay. Revoking again changes
     * nothing.
     *
     * @throws com.xentracker.server.NotFoundException when the organization has no such token
     */
    void revoke(Actor actor, UUID tokenId);
}
