package com.xentracker.server.usage;

import java.util.Objects;
import java.util.UUID;

/** A person an actor may filter reports by (one it may see individually). */
public record PersonChoice(UUID id, String displayName) {

    public PersonChoice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
    }
}
