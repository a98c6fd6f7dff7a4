package com.xentracker.server.organization;

import com.xentracker.server.InvalidRequestException;
import java.time.ZoneId;
import java.util.Objects;

/**
 * An organization's own settings, editable by its owners.
 *
 * @param timeZone          the zone in which reports count days
 * @param requireTwoFactor  whether owners and administrators must sign in with a second factor (until they set it
 *                          up, they may only manage their own account)
 * @param minimumGroupSize  team views aggregate a group only when it has at least this many people (1 to 1000), so
 *                          that an aggregate never stands for one person
 * @param silentAfterHours  a device not heard of for this many hours (1 to 8760) is flagged silent
 * @param selfService       whether people given a self-service account may sign in to see their own data (off by
 *                          default; while off, self-service accounts can neither sign in nor use a session)
 * @throws InvalidRequestException naming {@code minimumGroupSize} or {@code silentAfterHours} when out of range
 */
public record OrganizationSettings(String name, ZoneId timeZone, boolean requireTwoFactor, int minimumGroupSize,
        int silentAfterHours, boolean selfService) {

    /** What a new organization gets: as Microsoft Viva Insights, 5 people; a device is silent after a day. */
    public static final int DEFAULT_MINIMUM_GROUP_SIZE = 5;
    public static final int DEFAULT_SILENT_AFTER_HOURS = 24;
    public static final int MAX_MINIMUM_GROUP_SIZE = 1000;
    public static final int MAX_SILENT_AFTER_HOURS = 8760;

    public OrganizationSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeZone, "timeZone");
        if (minimumGroupSize < 1 || minimumGroupSize > MAX_MINIMUM_GROUP_SIZE) {
            throw InvalidRequestException.about("minimumGroupSize", "the minimum group size is 1 to "
                    + MAX_MINIMUM_GROUP_SIZE + " people, not " + minimumGroupSize);
        }
        if (silentAfterHours < 1 || silentAfterHours > MAX_SILENT_AFTER_HOURS) {
            throw InvalidRequestException.about("silentAfterHours", "a device counts as silent after 1 to "
                    + MAX_SILENT_AFTER_HOURS + " hours without contact, not " + silentAfterHours);
        }
    }

    /** Settings with self-service off, as every organization has until an owner turns it on. */
    public OrganizationSettings(String name, ZoneId timeZone, boolean requireTwoFactor, int minimumGroupSize,
            int silentAfterHours) {
        this(name, timeZone, requireTwoFactor, minimumGroupSize, silentAfterHours, false);
    }

    /** The same settings with the two-factor requirement on or off. */
    public OrganizationSettings withRequireTwoFactor(boolean required) {
        return new OrganizationSettings(name, timeZone, required, minimumGroupSize, silentAfterHours, selfService);
    }

    /** The same settings in another time zone. */
    public OrganizationSettings withTimeZone(ZoneId zone) {
        return new OrganizationSettings(name, zone, requireTwoFactor, minimumGroupSize, silentAfterHours,
                selfService);
    }

    /** The same settings with self-service accounts allowed to sign in, or not. */
    public OrganizationSettings withSelfService(boolean allowed) {
        return new OrganizationSettings(name, timeZone, requireTwoFactor, minimumGroupSize, silentAfterHours,
                allowed);
    }
}
