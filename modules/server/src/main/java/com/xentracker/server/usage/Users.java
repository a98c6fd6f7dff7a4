package com.xentracker.server.usage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Who used an application, site or category, longest first: individual usage, only for actors who may see
 * individuals (a viewer: the people of its groups granted with individual detail).
 *
 * @param name  the application, domain or category asked about
 * @param total the active time of everyone listed
 */
public record Users(Coverage coverage, Dimension dimension, String name, List<PersonUsage> people, Duration total) {

    public Users {
        Objects.requireNonNull(coverage, "coverage");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(name, "name");
        people = List.copyOf(people);
        Objects.requireNonNull(total, "total");
    }
}
