package com.xentracker.server.people;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A group of people in an organization (a team, a department). */
public record Group(UUID id, String name, Instant createdAt) {

    /** As long as a group's name may be. */
    public static final int MAX_NAME = 100;

    public Group {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
