package com.xentracker.server.organization;

import java.util.Objects;
import java.util.UUID;

/**
 * Puts time into a category: an application's name (case-insensitively, whole name), a web domain (exactly, or with
 * its subdomains) or a window title (containing the pattern, case-insensitively; only while the collection policy
 * collects titles). The organization's rules are tried in priority order, lower first, and the first that matches
 * decides; among equal priorities domain rules come before title rules before application rules, and a longer
 * pattern before a shorter one. Time no rule matches is uncategorised.
 *
 * @param pattern           lower case
 * @param includeSubdomains for a domain rule, whether {@code example.com} also matches {@code docs.example.com}
 * @param priority          0 to 1,000,000; lower is tried first
 */
public record CategoryRule(UUID id, UUID categoryId, Kind kind, String pattern, boolean includeSubdomains,
        int priority) {

    /** What a rule's pattern matches. */
    public enum Kind { APPLICATION, DOMAIN, TITLE }

    /** As long as a pattern may be. */
    public static final int MAX_PATTERN = 255;

    public CategoryRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(categoryId, "categoryId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pattern, "pattern");
    }
}
