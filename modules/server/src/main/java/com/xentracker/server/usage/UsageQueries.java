package com.xentracker.server.usage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Read side for dashboards. Every query takes the organization id first. */
public interface UsageQueries {

    /** Active time per application in [from, to), longest first. Spans crossing the bounds are clipped. */
    List<ApplicationUsage> byApplication(UUID organizationId, Instant from, Instant to);
}
