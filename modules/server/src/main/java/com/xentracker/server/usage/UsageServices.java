package com.xentracker.server.usage;

import com.xentracker.server.access.Guard;
import java.time.Clock;

/** The usage concept as the server wires it. Made once by the server; front ends get the interface only. */
public final class UsageServices {

    private final DatabaseUsageQueries queries;

    private UsageServices(Guard guard, Clock clock) {
        this.queries = new DatabaseUsageQueries(guard, clock);
    }

    /** @param clock decides the organization's "today" (in its time zone) and which devices are silent */
    public static UsageServices create(Guard guard, Clock clock) {
        return new UsageServices(guard, clock);
    }

    public UsageQueries queries() {
        return queries;
    }
}
