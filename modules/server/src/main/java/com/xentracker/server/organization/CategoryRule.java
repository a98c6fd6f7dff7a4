package com.xentracker.server.organization;

import java.util.Objects;
import java.util.UUID;

/**
 * Puts an application (its name, case-insensitively) or a web domain (and its subdomains) into a category. A domain
 * rule wins over an application rule; a longer pattern over a shorter one.
 */
public record CategoryRule(UUID id, UUID categoryId, Kind kind, String pattern) {

    /** What a rule's pattern matches. */
    public enum Kind { APPLICATION, DOMAIN }

    public CategoryRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pattern, "pattern");
    }
}
