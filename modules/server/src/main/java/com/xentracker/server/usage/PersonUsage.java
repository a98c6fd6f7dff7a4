package com.xentracker.server.usage;

import java.time.Duration;
import java.util.Objects;

/** One person's active time with an application, site or category. */
public record PersonUsage(PersonChoice person, Duration active, long devices) {

    public PersonUsage {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(active, "active");
    }
}
