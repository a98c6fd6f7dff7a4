package com.xentracker.server.organization;

import java.time.ZoneId;
import java.util.Objects;

/**
 * An organization's own settings, editable by its owners.
 *
 * @param timeZone          the zone in which reports count days
 * @param requireTwoFactor  whether owners and administrators must sign in with a second factor (until they set it
 *                          up, they may only manage their own account)
 */
public record OrganizationSettings(String name, ZoneId timeZone, boolean requireTwoFactor) {

    public OrganizationSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeZone, "timeZone");
    }
}
