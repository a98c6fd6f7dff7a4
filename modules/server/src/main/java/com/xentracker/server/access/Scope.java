package com.xentracker.server.access;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Which part of the organization an actor may see: all of it, or (a viewer) only the people in the groups it was
 * given, and individuals only in the groups granted with individual detail. Use cases filter what they read by it.
 *
 * @param groups       the groups a limited scope covers; empty for the whole organization
 * @param detailGroups the subset of {@code groups} in which individuals may be seen
 */
public record Scope(boolean wholeOrganization, Set<UUID> groups, Set<UUID> detailGroups) {

    private static final Scope ORGANIZATION = new Scope(true, Set.of(), Set.of());

    public Scope {
        groups = Set.copyOf(Objects.requireNonNull(groups, "groups"));
        detailGroups = Set.copyOf(Objects.requireNonNull(detailGroups, "detailGroups"));
        if (wholeOrganization && !groups.isEmpty()) {
            throw new IllegalArgumentException("the whole organization is not limited to groups");
        }
        if (!groups.containsAll(detailGroups)) {
            throw new IllegalArgumentException("individual detail only in granted groups");
        }
    }

    /** Everything in the organization. */
    public static Scope organization() {
        return ORGANIZATION;
    }

    /** A viewer's scope. */
    public static Scope groups(Set<UUID> groups, Set<UUID> detailGroups) {
        return new Scope(false, groups, detailGroups);
    }

    /** The groups whose individuals may be seen: empty for the whole organization (meaning: everyone). */
    public Set<UUID> individualGroups() {
        return detailGroups;
    }
}
