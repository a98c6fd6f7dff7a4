package com.xentracker.server.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Read side for dashboards. Every query takes the organization id first. */
public interface UsageQueries {

    /**
     * Active time per application, longest first, on whole days of the organization's time zone (usage is kept as
     * daily rollups): {@code from} and {@code to} are rounded to the nearest local midnight, so a period given in
     * local midnights (or, for zones within ±12 h, in UTC midnights) means those calendar days. At least one day.
     */
    List<ApplicationUsage> byApplication(UUID organizationId, Instant from, Instant to);
}
