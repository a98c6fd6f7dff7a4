package com.xentracker.server.organization;

import com.xentracker.server.InvalidRequestException;

/**
 * How long an organization's data is kept: raw spans for {@code spanDays} days, daily rollups (what dashboards show)
 * for {@code rollupMonths} months, the audit log for {@code auditDays} days. The retention job enforces it.
 */
public record RetentionSettings(int spanDays, int rollupMonths, int auditDays) {

    /** What a new organization gets. */
    public static final RetentionSettings DEFAULTS = new RetentionSettings(90, 25, 730);

    public RetentionSettings {
        if (spanDays < 1 || spanDays > 3660) {
            throw new InvalidRequestException("raw spans are kept 1 to 3660 days, not " + spanDays);
        }
        if (rollupMonths < 1 || rollupMonths > 240) {
            throw new InvalidRequestException("rollups are kept 1 to 240 months, not " + rollupMonths);
        }
        if (auditDays < 1 || auditDays > 36600) {
            throw new InvalidRequestException("the audit log is kept 1 to 36600 days, not " + auditDays);
        }
    }
}
