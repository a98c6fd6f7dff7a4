package com.xentracker.server.usage;

import java.util.Objects;
import java.util.UUID;

/**
 * A group as reports may show it: its aggregates only when it has at least the organization's minimum group size
 * ({@link #aggregated()}), so that a team's figures never stand for one or two people.
 *
 * @param size    how many people are in it now
 * @param minimum the organization's minimum group size for team views
 */
public record Team(UUID id, String name, int size, int minimum) {

    public Team {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (size < 0 || minimum < 1) {
            throw new IllegalArgumentException("a team has a size ≥ 0 and a minimum ≥ 1");
        }
    }

    /** Whether its figures may be shown in aggregate. */
    public boolean aggregated() {
        return size >= minimum;
    }
}
