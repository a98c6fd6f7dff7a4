package com.xentracker.server.usage;

import java.time.Duration;
import java.util.Objects;

/**
 * Active time of one application, site (domain) or category over a report's days, and on how many distinct devices
 * there was any.
 *
 * @param name the application, the domain, or the category ({@code ""}: the desktop itself for an application;
 *             uncategorised for a category)
 */
public record UsageTotal(String name, Duration active, long devices) {

    public UsageTotal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(active, "active");
    }
}
