package com.xentracker.server.export;

import com.xentracker.server.access.Guard;
import com.xentracker.server.organization.Policies;
import java.time.Clock;

/** The export concept as the server wires it. Made once by the server; front ends get {@link Exports} only. */
public final class ExportServices {

    private final DatabaseExports exports;

    private ExportServices(DatabaseExports exports) {
        this.exports = exports;
    }

    public static ExportServices create(Guard guard, Policies policies, Clock clock) {
        return new ExportServices(new DatabaseExports(guard, policies, clock));
    }

    public Exports exports() {
        return exports;
    }
}
