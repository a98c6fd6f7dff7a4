package com.xentracker.server.usage;

import com.xentracker.server.access.Guard;

/** The usage concept as the server wires it. Made once by the server; front ends get the interface only. */
public final class UsageServices {

    private final DatabaseUsageQueries queries;

    private UsageServices(Guard guard) {
        this.queries = new DatabaseUsageQueries(guard);
    }

    public static UsageServices create(Guard guard) {
        return new UsageServices(guard);
    }

    public UsageQueries queries() {
        return queries;
    }
}
