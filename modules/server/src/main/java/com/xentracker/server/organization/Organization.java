package com.xentracker.server.organization;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

/**
 * A tenant: every device, account and span belongs to exactly one.
 *
 * @param timeZone the zone in which the organization's reports count days
 */
public record Organization(UUID id, String name, ZoneId timeZone, Instant createdAt) {
    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
