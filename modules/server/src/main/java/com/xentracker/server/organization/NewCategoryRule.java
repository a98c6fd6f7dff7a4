package com.xentracker.server.organization;

import java.util.Objects;

/**
 * A rule as an administrator writes it, before it has an id and a place in the order (it goes last).
 *
 * @param pattern           an application's name, a domain (such as {@code example.com}) or a piece of a window
 *                          title; compared case-insensitively
 * @param includeSubdomains for a domain rule, whether subdomains match too (ignored for the other kinds)
 */
public record NewCategoryRule(CategoryRule.Kind kind, String pattern, boolean includeSubdomains) {

    public NewCategoryRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pattern, "pattern");
    }

    public static NewCategoryRule of(CategoryRule.Kind kind, String pattern) {
        return new NewCategoryRule(kind, pattern, true);
    }
}
