package com.xentracker.server.organization;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A category of time (e.g. "Development") and the rules that put applications and domains into it. */
public record Category(UUID id, String name, List<CategoryRule> rules) {

    public Category {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        rules = List.copyOf(rules);
    }
}
