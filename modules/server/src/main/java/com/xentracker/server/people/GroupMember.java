package com.xentracker.server.people;

import java.util.Objects;
import java.util.UUID;

/** A person in a group, as a list of members shows them. */
public record GroupMember(UUID personId, String displayName) {

    public GroupMember {
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(displayName, "displayName");
    }
}
