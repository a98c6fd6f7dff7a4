package com.xentracker.server.people;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A person whose devices report to the organization.
 *
 * @param login the OS login (lower-case) ingest created this person for; empty for people administrators created
 */
public record Person(UUID id, String displayName, Optional<String> login, Instant createdAt) {

    public Person {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
