package com.xentracker.server.organization;

import com.xentracker.server.InvalidRequestException;

/**
 * How long an organization's data is kept: raw spans for {@code spanDays} days, daily rollups (what reports show)
 * for {@code rollupMonths} months, the audit log for {@code auditDays} days. The retention job enforces it.
 *
 * @throws InvalidRequestException naming {@code spanDays}, {@code rollupMonths} or {@code auditDays} when out of range
 */
public record RetentionSettings(int spanDays, int rollupMonths, int auditDays) {

    /** What a new organization gets. */
    public static final RetentionSettings DEFAULTS = new RetentionSettings(90, 25, 730);

    public RetentionSettings {
        if (spanDays < 1 || spanDays > 3660) {
            throw InvalidRequestException.about("spanDays", "raw spans are kept 1 to 3660 days, not " + spanDays);
        }
        if (rollupMonths < 1 || rollupMonths > 240) {
            throw InvalidRequestException.about("rollupMonths", "rollups are kept 1 to 240 months, not "
                    + rollupMonths);
        }
        if (auditDays < 1 || auditDays > 36600) {
            throw InvalidRequestException.about("auditDays", "the audit log is kept 1 to 36600 days, not "
                    + auditDays);
        }
    }

    /** Whether this keeps anything for less time than {@code before} did: a change that deletes data. */
    public boolean shortens(RetentionSettings before) {
        return spanDays < before.spanDays || rollupMonths < before.rollupMonths || auditDays < before.auditDays;
    }
}
