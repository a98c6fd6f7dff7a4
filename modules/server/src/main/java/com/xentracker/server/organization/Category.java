package com.xentracker.server.organization;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A category of time (e.g. "Development"), how productive the organization rates it, the rules that put time into
 * it (in the organization's priority order) and the groups that rate it their own way.
 *
 * @param groupRatings per group id, the rating that group's views use instead of {@code productivity}
 */
public record Category(UUID id, String name, Productivity productivity, List<CategoryRule> rules,
        Map<UUID, Productivity> groupRatings) {

    /** As long as a category's name may be. */
    public static final int MAX_NAME = 100;

    public Category {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(productivity, "productivity");
        rules = List.copyOf(rules);
        groupRatings = Map.copyOf(groupRatings);
    }
}
