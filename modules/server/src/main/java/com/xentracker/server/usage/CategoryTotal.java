package com.xentracker.server.usage;

import java.time.Duration;
import java.util.Objects;

/**
 * Active time of one category over a report's days, with the rating that applies in the report (a group's own in its
 * team view).
 *
 * @param category the category's name; {@code ""} for time no rule put into a category
 */
public record CategoryTotal(String category, Productivity productivity, Duration active, long devices) {

    public CategoryTotal {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(productivity, "productivity");
        Objects.requireNonNull(active, "active");
    }
}
